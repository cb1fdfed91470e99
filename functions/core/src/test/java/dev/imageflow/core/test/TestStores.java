package dev.imageflow.core.test;

import dev.imageflow.core.embedded.EmbeddedRedis;
import dev.imageflow.core.embedded.EmbeddedS3;
import dev.imageflow.core.job.RedisProperties;
import dev.imageflow.core.storage.S3Api;
import dev.imageflow.core.storage.S3Properties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One real redis-server and one S3Proxy for all tests of a JVM (starting them per test class would cost seconds
 * each), stopped when the JVM exits. Tests keep apart by using fresh job ids.
 */
public final class TestStores {

    public static final String BUCKET = "imageflow-test";

    private static TestStores instance;

    private final EmbeddedRedis redis;
    private final EmbeddedS3 s3;

    private TestStores() {
        redis = EmbeddedRedis.start(0);
        s3 = EmbeddedS3.start(0, null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s3.close();
            redis.close();
        }));
    }

    public static synchronized TestStores get() {
        if (instance == null) {
            instance = new TestStores();
        }
        return instance;
    }

    /** Points a Spring test context at these stores. */
    public static void register(DynamicPropertyRegistry registry) {
        TestStores stores = get();
        registry.add("imageflow.redis.url", stores.redis::url);
        registry.add("imageflow.s3.endpoint", () -> stores.s3.endpoint().toString());
        registry.add("imageflow.s3.bucket", () -> BUCKET);
        registry.add("imageflow.s3.path-style", () -> "true");
        registry.add("imageflow.s3.access-key", () -> EmbeddedS3.ACCESS_KEY);
        registry.add("imageflow.s3.secret-key", () -> EmbeddedS3.SECRET_KEY);
        registry.add("imageflow.s3.create-bucket", () -> "true");
    }

    public EmbeddedRedis redis() {
        return redis;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    /** The functions' own S3 client on these stores, as the functions configure it. Close it after use. */
    public S3Api s3Api() {
        return S3Api.create(s3Properties(BUCKET));
    }

    /** The settings a function gets for these stores, with another bucket. */
    public S3Properties s3Properties(String bucket) {
        return new S3Properties(
                s3.endpoint(), "us-east-1", bucket, true, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, true);
    }

    /** The SDK's generated S3 client, for tests to look at the bucket the way any S3 tool would. */
    public S3Client s3Client() {
        return S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
                .build();
    }

    /** A plain Lettuce connection, for tests to read what the functions wrote. Close it after use. */
    public StatefulRedisConnection<String, String> redisConnection() {
        return RedisClient.create(redis.url()).connect();
    }

    public RedisProperties redisProperties() {
        return new RedisProperties(redis.url(), java.time.Duration.ofSeconds(5), java.time.Duration.ofHours(1));
    }
}
