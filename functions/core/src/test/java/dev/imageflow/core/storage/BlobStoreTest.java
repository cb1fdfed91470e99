package dev.imageflow.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.imageflow.core.embedded.EmbeddedS3;
import dev.imageflow.core.embedded.FreePort;
import dev.imageflow.core.test.TestStores;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob store against a real S3 server (S3Proxy, with signature checking on), through the functions' own S3
 * client; what it writes is read back with the SDK's generated S3 client, and the reverse.
 */
class BlobStoreTest {

    private final TestStores stores = TestStores.get();
    private final String bucket = "blobs-" + UUID.randomUUID();
    private final S3Api s3 = S3Api.create(stores.s3Properties(bucket));
    private final BlobStore blobs = new BlobStore(s3, bucket, true);
    private final S3Client sdk = stores.s3Client();

    @AfterEach
    void close() {
        s3.close();
        sdk.close();
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

    @Test
    void expiryPagesThroughABucketLargerThanOneListing() {
        BlobStore smallPages = new BlobStore(s3, bucket, true, 2);
        for (int i = 0; i < 5; i++) {
            smallPages.put("results/job/" + i, new byte[] {(byte) i}, "image/png");
        }

        assertThat(smallPages.expireOlderThan(Instant.now().plusSeconds(5))).isEqualTo(5);
        assertThat(sdk.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void aListingInSmallPagesNamesEveryObjectOnceWithItsSize() {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add("originals/" + i + " ü+%");
            blobs.put(written.get(i), new byte[i], "image/jpeg");
        }

        List<S3Api.ObjectSummary> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            S3Api.ListPage page = s3.listObjects(bucket, token, 2);
            assertThat(page.objects()).hasSizeLessThanOrEqualTo(2);
            listed.addAll(page.objects());
            token = page.nextContinuationToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(listed).extracting(S3Api.ObjectSummary::key).containsExactlyInAnyOrderElementsOf(written);
        assertThat(listed).allSatisfy(o -> {
            assertThat(o.size()).isEqualTo(written.indexOf(o.key()));
            assertThat(o.lastModified())
                    .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        });
    }

    @Test
    void whatItWritesTheSdkReadsWithItsContentType() {
        byte[] bytes = "a png, say".getBytes(StandardCharsets.UTF_8);

        blobs.put("results/x/0-bw", bytes, "image/png");

        var object = sdk.getObjectAsBytes(b -> b.bucket(bucket).key("results/x/0-bw"));
        assertThat(object.asByteArray()).isEqualTo(bytes);
        assertThat(object.response().contentType()).isEqualTo("image/png");
    }

    @Test
    void whatTheSdkWritesItReadsWithItsContentTypeAndSize() {
        byte[] bytes = "a webp, say".getBytes(StandardCharsets.UTF_8);
        blobs.ensureBucket();
        sdk.putObject(b -> b.bucket(bucket).key("uploads/y").contentType("image/webp"), RequestBody.fromBytes(bytes));

        Blob blob = blobs.get("uploads/y").orElseThrow();

        assertThat(blob.bytes()).isEqualTo(bytes);
        assertThat(blob.contentType()).isEqualTo("image/webp");
        assertThat(blobs.size("uploads/y")).contains((long) bytes.length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10 * 1024 * 1024})
    void objectsOfAnySizeComeBackByteForByte(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);

        blobs.put("originals/size-" + size, bytes, "image/jpeg");

        assertThat(blobs.get("originals/size-" + size).orElseThrow().bytes()).isEqualTo(bytes);
        assertThat(blobs.size("originals/size-" + size)).contains((long) size);
        assertThat(sdk.headObject(b -> b.bucket(bucket).key("originals/size-" + size))
                        .contentLength())
                .isEqualTo(size);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "uploads/a b.jpg",
                "uploads/a+b.jpg",
                "uploads/100%.jpg",
                "uploads/x=1&y=2?.jpg",
                "uploads/ünïcødé/图片 #1.jpg",
                "uploads/~tilde*star'(quote)!"
            })
    void awkwardKeysAreTheSameKeysForTheSdk(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);

        blobs.put(key, bytes, "image/jpeg");

        assertThat(sdk.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
                .isEqualTo(bytes);
        assertThat(blobs.get(key).orElseThrow().bytes()).isEqualTo(bytes);
        assertThat(s3.listObjects(bucket, null, 1000).objects())
                .extracting(S3Api.ObjectSummary::key)
                .containsExactly(key);
        blobs.delete(key);
        assertThat(sdk.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void aMissingKeyIsEmptyAndDeletingItIsNoError() {
        blobs.ensureBucket();

        assertThat(blobs.get("originals/none")).isEmpty();
        assertThat(blobs.size("originals/none")).isEmpty();
        blobs.delete("originals/none");
    }

    @Test
    void aDeletedObjectIsGone() {
        blobs.put("originals/gone", new byte[] {1}, "image/jpeg");

        blobs.delete("originals/gone");

        assertThat(blobs.get("originals/gone")).isEmpty();
    }

    @Test
    void aWriteIntoAMissingBucketCreatesItOnlyWhereThatIsAllowed() {
        BlobStore strict = new BlobStore(s3, bucket, false);

        assertThatThrownBy(() -> strict.put("originals/a", new byte[] {1}, "image/jpeg"))
                .isInstanceOf(S3RequestException.class)
                .hasMessageContaining("NoSuchBucket")
                .hasMessageContaining("originals/a");

        blobs.put("originals/a", new byte[] {1}, "image/jpeg");
        assertThat(sdk.headBucket(b -> b.bucket(bucket)).sdkHttpResponse().isSuccessful())
                .isTrue();
        assertThat(strict.get("originals/a")).isPresent();
    }

    @Test
    void functionsStartingTogetherMayAllCreateTheBucket() throws Exception {
        for (int round = 0; round < 3; round++) {
            String raced = "race-" + UUID.randomUUID();
            BlobStore one = new BlobStore(s3, raced, true);
            BlobStore other = new BlobStore(s3, raced, true);
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
                await(start);
                one.ensureBucket();
            });
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                await(start);
                other.ensureBucket();
            });

            start.countDown();

            CompletableFuture.allOf(first, second).get();
            one.ensureBucket();
            one.put("originals/a", new byte[] {1}, "image/jpeg");
            assertThat(other.size("originals/a")).contains(1L);
        }
    }

    @Test
    void bucketsOutsideUsEast1AreCreatedWithTheirRegion() {
        try (S3Api elsewhere = S3Api.create(new S3Properties(
                stores.s3().endpoint(),
                "eu-west-1",
                bucket,
                true,
                EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY,
                true))) {
            new BlobStore(elsewhere, bucket, true).put("originals/a", new byte[] {1}, "image/jpeg");

            assertThat(elsewhere.headBucket(bucket)).isTrue();
            assertThat(elsewhere.getObject(bucket, "originals/a")).isPresent();
        }
    }

    @Test
    void aStoreThatDoesNotAnswerIsUnavailableAfterTheRetries() {
        try (S3Api down = S3Api.create(new S3Properties(
                URI.create("http://127.0.0.1:" + FreePort.find()),
                "us-east-1",
                bucket,
                true,
                EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY,
                true))) {
            BlobStore store = new BlobStore(down, bucket, true);

            assertThatThrownBy(() -> store.get("originals/a"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("S3 is unavailable: GET " + bucket + "/originals/a");
            assertThatThrownBy(() -> store.put("originals/a", new byte[] {1}, "image/jpeg"))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.expireOlderThan(Instant.now()))
                    .isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void aStoreThatStopsIsUnavailableAndServesAgainOnceBack() {
        blobs.put("originals/a", new byte[] {1}, "image/jpeg");
        stores.s3().stop();
        try {
            assertThatThrownBy(() -> blobs.get("originals/a")).isInstanceOf(StoreUnavailableException.class);
        } finally {
            stores.s3().start();
        }
        assertThat(blobs.get("originals/a")).isPresent();
    }

    @Test
    void aBusyStoreIsTriedThreeTimesThenUnavailableWithItsErrorCode() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer busy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        busy.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        busy.start();
        try (S3Api slow = S3Api.create(new S3Properties(
                URI.create("http://127.0.0.1:" + busy.getAddress().getPort()),
                "us-east-1",
                bucket,
                true,
                "key",
                "secret",
                false))) {

            assertThatThrownBy(() -> new BlobStore(slow, bucket, false).put("originals/a", new byte[] {1}, "x/y"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("503 SlowDown");
            assertThat(requests).hasValue(3);
        } finally {
            busy.stop(0);
        }
    }

    @Test
    void aWrongSecretIsRefusedAtOnceWithS3sCodeAndTheKey() {
        blobs.ensureBucket();
        try (S3Api wrong = S3Api.create(new S3Properties(
                stores.s3().endpoint(), "us-east-1", bucket, true, EmbeddedS3.ACCESS_KEY, "not-the-secret", false))) {
            BlobStore store = new BlobStore(wrong, bucket, false);

            assertThatThrownBy(() -> store.put("originals/secret", new byte[] {1}, "image/jpeg"))
                    .isInstanceOf(S3RequestException.class)
                    .isNotInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("SignatureDoesNotMatch")
                    .hasMessageContaining("originals/secret")
                    .satisfies(
                            e -> assertThat(((S3RequestException) e).status()).isEqualTo(403));
        }
    }

    @Test
    void onAwsObjectsAreAddressedInTheBucketsHostNameOfTheRegionsPartition() {
        assertThat(aws("eu-west-1", false).objectUri("imageflow", "originals/a b+c"))
                .hasToString("https://imageflow.s3.eu-west-1.amazonaws.com/originals/a%20b%2Bc");
        assertThat(aws("cn-north-1", false).objectUri("imageflow", "k"))
                .hasToString("https://imageflow.s3.cn-north-1.amazonaws.com.cn/k");
        assertThat(aws("eu-west-1", true).objectUri("imageflow", "k"))
                .hasToString("https://s3.eu-west-1.amazonaws.com/imageflow/k");
        // A dotted bucket name would not match the region's wildcard certificate as a host name.
        assertThat(aws("eu-west-1", false).objectUri("images.example.com", "k"))
                .hasToString("https://s3.eu-west-1.amazonaws.com/images.example.com/k");
    }

    @Test
    void anEndpointIsUsedAsGivenPathStyleOrVirtualHosted() {
        URI minio = URI.create("http://minio.imageflow:9000");
        assertThat(S3Api.create(new S3Properties(minio, "us-east-1", "b", true, "k", "s", false))
                        .objectUri("imageflow", "originals/ü"))
                .hasToString("http://minio.imageflow:9000/imageflow/originals/%C3%BC");
        assertThat(S3Api.create(new S3Properties(minio, "us-east-1", "b", false, "k", "s", false))
                        .objectUri("imageflow", "originals/a"))
                .hasToString("http://imageflow.minio.imageflow:9000/originals/a");
    }

    private static S3Api aws(String region, boolean pathStyle) {
        return S3Api.create(new S3Properties(null, region, "imageflow", pathStyle, "key", "secret", false));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
