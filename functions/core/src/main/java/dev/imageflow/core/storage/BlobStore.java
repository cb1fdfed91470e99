package dev.imageflow.core.storage;

import java.time.Instant;
import java.util.Optional;

/** The images of every job, in one S3 bucket, under keys made by {@link dev.imageflow.core.event.ObjectKeys}. */
public class BlobStore {

    /** Objects per listing page: S3's own maximum. */
    private static final int LIST_PAGE = 1000;

    private final S3Api s3;
    private final String bucket;
    private final boolean createBucket;
    private final int listPage;

    /**
     * @param createBucket create the bucket when a write finds it missing (local stores, where nobody else does)
     */
    public BlobStore(S3Api s3, String bucket, boolean createBucket) {
        this(s3, bucket, createBucket, LIST_PAGE);
    }

    /** With smaller listing pages, for tests of the paging. */
    BlobStore(S3Api s3, String bucket, boolean createBucket, int listPage) {
        this.s3 = s3;
        this.bucket = bucket;
        this.createBucket = createBucket;
        this.listPage = listPage;
    }

    public void put(String key, byte[] bytes, String contentType) {
        try {
            s3.putObject(bucket, key, bytes, contentType);
        } catch (S3RequestException e) {
            if (!createBucket || !"NoSuchBucket".equals(e.code())) {
                throw e;
            }
            ensureBucket();
            s3.putObject(bucket, key, bytes, contentType);
        }
    }

    /** The object's bytes, or empty when there is no such key. */
    public Optional<Blob> get(String key) {
        return s3.getObject(bucket, key);
    }

    /** The object's size in bytes, or empty when there is no such key; reads no content. */
    public Optional<Long> size(String key) {
        return s3.headObject(bucket, key);
    }

    public void delete(String key) {
        s3.deleteObject(bucket, key);
    }

    /**
     * Deletes every object last written before {@code cutoff}, as the bucket's lifecycle rule does on AWS: for stores
     * that have no such rule (the one-machine runner's).
     *
     * @return how many objects were deleted
     */
    public int expireOlderThan(Instant cutoff) {
        int deleted = 0;
        String token = null;
        do {
            S3Api.ListPage page = s3.listObjects(bucket, token, listPage);
            for (S3Api.ObjectSummary object : page.objects()) {
                if (object.lastModified().isBefore(cutoff)) {
                    s3.deleteObject(bucket, object.key());
                    deleted++;
                }
            }
            token = page.nextContinuationToken();
        } while (token != null);
        return deleted;
    }

    /**
     * Creates the bucket when it is missing. Several functions starting together may all try: losing that race is
     * fine.
     */
    public void ensureBucket() {
        if (!s3.headBucket(bucket)) {
            s3.createBucket(bucket);
        }
    }
}
