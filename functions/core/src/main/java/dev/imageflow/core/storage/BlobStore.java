package dev.imageflow.core.storage;

import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The images of every job, in one S3 bucket, under keys made by {@link dev.imageflow.core.event.ObjectKeys}. */
public class BlobStore {

    private final S3Client s3;
    private final String bucket;
    private final boolean createBucket;

    /**
     * @param createBucket create the bucket when a write finds it missing (local stores, where nobody else does)
     */
    public BlobStore(S3Client s3, String bucket, boolean createBucket) {
        this.s3 = s3;
        this.bucket = bucket;
        this.createBucket = createBucket;
    }

    public void put(String key, byte[] bytes, String contentType) {
        try {
            putOnce(key, bytes, contentType);
        } catch (NoSuchBucketException e) {
            if (!createBucket) {
                throw e;
            }
            ensureBucket();
            putOnce(key, bytes, contentType);
        }
    }

    private void putOnce(String key, byte[] bytes, String contentType) {
        call(() -> s3.putObject(
                b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) bytes.length),
                RequestBody.fromBytes(bytes)));
    }

    /** The object's bytes, or empty when there is no such key. */
    public Optional<Blob> get(String key) {
        return call(() -> {
            try {
                ResponseBytes<GetObjectResponse> object =
                        s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                return Optional.of(
                        new Blob(object.asByteArray(), object.response().contentType()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    /** The object's size in bytes, or empty when there is no such key; reads no content. */
    public Optional<Long> size(String key) {
        return call(() -> {
            try {
                HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
                return Optional.of(head.contentLength());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public void delete(String key) {
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /**
     * Deletes every object last written before {@code cutoff}, as the bucket's lifecycle rule does on AWS: for stores
     * that have no such rule (the one-machine runner's).
     *
     * @return how many objects were deleted
     */
    public int expireOlderThan(Instant cutoff) {
        return call(() -> {
            int deleted = 0;
            for (S3Object object :
                    s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                if (object.lastModified().isBefore(cutoff)) {
                    s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
                    deleted++;
                }
            }
            return deleted;
        });
    }

    /**
     * Creates the bucket when it is missing. Several functions starting together may all try: losing that race is
     * fine.
     */
    public void ensureBucket() {
        call(() -> {
            try {
                s3.headBucket(b -> b.bucket(bucket));
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                try {
                    s3.createBucket(b -> b.bucket(bucket));
                } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException raced) {
                    // made by another function in the meantime
                }
            }
            return null;
        });
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkClientException e) {
            throw new StoreUnavailableException("S3", e);
        } catch (S3Exception e) {
            if (e.statusCode() >= 500) {
                throw new StoreUnavailableException("S3", e);
            }
            throw e;
        }
    }
}
