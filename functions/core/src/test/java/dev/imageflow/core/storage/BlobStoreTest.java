package dev.imageflow.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.embedded.EmbeddedS3;
import dev.imageflow.core.test.TestStores;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class BlobStoreTest {

    private final String bucket = "expiry-" + UUID.randomUUID();
    private final S3Client s3 = S3Clients.create(new S3Properties(
            TestStores.get().s3().endpoint(),
            "us-east-1",
            bucket,
            true,
            EmbeddedS3.ACCESS_KEY,
            EmbeddedS3.SECRET_KEY,
            true));
    private final BlobStore blobs = new BlobStore(s3, bucket, true);

    @AfterEach
    void close() {
        s3.close();
    }

    @Test
    void objectsOlderThanTheCutoffExpireAndNewerOnesStay() {
        blobs.put("originals/a", new byte[] {1}, "image/jpeg");
        blobs.put("results/a/0-bw", new byte[] {2}, "image/jpeg");

        assertThat(blobs.expireOlderThan(Instant.now().minusSeconds(3600))).isZero();
        assertThat(blobs.size("originals/a")).isPresent();

        assertThat(blobs.expireOlderThan(Instant.now().plusSeconds(5))).isEqualTo(2);
        assertThat(blobs.size("originals/a")).isEmpty();
        assertThat(blobs.size("results/a/0-bw")).isEmpty();
    }
}
