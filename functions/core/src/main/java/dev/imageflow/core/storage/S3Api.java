package dev.imageflow.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The few S3 REST calls the functions make, signed with the SDK's SigV4 signer and sent with its URL connection
 * client. The SDK's generated {@code S3Client} would do the same, but building it makes the JVM load and verify
 * every operation's model classes (about 2,000 SDK classes), which every function paid at each cold start for the
 * seven operations used here.
 *
 * <p>Every call here is idempotent, so IO errors and 500/502/503/504 are tried again (three attempts in all) before
 * they end as a {@link StoreUnavailableException}; S3's other refusals end at once as an {@link S3RequestException}
 * naming S3's error code.
 */
public final class S3Api implements AutoCloseable {

    private static final int ATTEMPTS = 3;
    private static final long BACKOFF_BASE_MILLIS = 100;
    private static final long BACKOFF_CAP_MILLIS = 2000;
    private static final byte[] NO_BYTES = new byte[0];

    /**
     * Made on first use, not with the bean: building the URL connection client loads the JDK's trust store (about 150
     * certificates parsed), 0.12 s that sat on a cold function's main thread before its port opened. The warm-up
     * (ColdPathWarmup) makes the first call beside Spring's start instead.
     */
    private final Supplier<SdkHttpClient> httpFactory;

    private volatile SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String region;
    /** Where requests go: the configured endpoint, or the region's S3 endpoint on AWS. */
    private final URI endpoint;

    private final boolean pathStyle;

    S3Api(
            Supplier<SdkHttpClient> httpFactory,
            AwsCredentialsProvider credentials,
            String region,
            URI endpoint,
            boolean pathStyle) {
        this.httpFactory = httpFactory;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.pathStyle = pathStyle;
    }

    /** The one way this project makes its S3 client: for the functions, the runner's housekeeping and the bench. */
    public static S3Api create(S3Properties s3) {
        URI endpoint = s3.endpoint() != null
                ? s3.endpoint()
                : URI.create("https://s3." + s3.region() + "."
                        + PartitionMetadata.of(Region.of(s3.region())).dnsSuffix());
        return new S3Api(
                () -> UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build(),
                credentials(s3),
                s3.region(),
                endpoint,
                s3.pathStyle());
    }

    private static AwsCredentialsProvider credentials(S3Properties s3) {
        if (s3.accessKey() != null && s3.secretKey() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        }
        // On EKS this finds the pod's IRSA web identity token, through the sts module on the class path.
        return DefaultCredentialsProvider.builder().build();
    }

    /** One object of a listing. */
    public record ObjectSummary(String key, Instant lastModified, long size) {}

    /** One page of a listing, and the token for the next one (null on the last page). */
    public record ListPage(List<ObjectSummary> objects, String nextContinuationToken) {}

    public void putObject(String bucket, String key, byte[] bytes, String contentType) {
        execute(
                request(SdkHttpMethod.PUT, bucket, key)
                        .putHeader("Content-Type", contentType)
                        .putHeader("Content-Length", Integer.toString(bytes.length)),
                bytes,
                "PUT " + bucket + "/" + key);
    }

    /** The object's bytes and content type, or empty when there is no such key. */
    public Optional<Blob> getObject(String bucket, String key) {
        Response response = execute(request(SdkHttpMethod.GET, bucket, key), NO_BYTES, "GET " + bucket + "/" + key);
        if (response.status() == 404 && isMissingKey(response)) {
            return Optional.empty();
        }
        return Optional.of(new Blob(response.body(), response.header("Content-Type")));
    }

    /** The object's size, or empty when there is no such key; reads no content. */
    public Optional<Long> headObject(String bucket, String key) {
        Response response = execute(request(SdkHttpMethod.HEAD, bucket, key), NO_BYTES, "HEAD " + bucket + "/" + key);
        if (response.status() == 404) {
            // A HEAD answer has no body, so no error code: a missing bucket looks the same.
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(response.header("Content-Length")));
    }

    /** Deletes the object; deleting a missing key is no error, as in S3. */
    public void deleteObject(String bucket, String key) {
        execute(request(SdkHttpMethod.DELETE, bucket, key), NO_BYTES, "DELETE " + bucket + "/" + key);
    }

    /**
     * One page of ListObjectsV2.
     *
     * @param continuationToken null for the first page
     * @param maxKeys           at most this many objects (S3 gives at most 1000 whatever is asked)
     */
    public ListPage listObjects(String bucket, String continuationToken, int maxKeys) {
        SdkHttpRequest.Builder request = request(SdkHttpMethod.GET, bucket, null)
                .putRawQueryParameter("list-type", "2")
                .putRawQueryParameter("max-keys", Integer.toString(maxKeys));
        if (continuationToken != null) {
            request.putRawQueryParameter("continuation-token", continuationToken);
        }
        Response response = execute(request, NO_BYTES, "LIST " + bucket);
        return ListResult.parse(response.body());
    }

    /** Whether the bucket exists (and these credentials may see it). */
    public boolean headBucket(String bucket) {
        Response response = execute(request(SdkHttpMethod.HEAD, bucket, null), NO_BYTES, "HEAD " + bucket);
        return response.status() != 404;
    }

    /** Creates the bucket in this client's region; one that exists already, made by anyone, is no error. */
    public void createBucket(String bucket) {
        byte[] body = "us-east-1".equals(region)
                ? NO_BYTES
                // Outside us-east-1, AWS refuses a CreateBucket that does not name the region it is sent to.
                : ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                + "<LocationConstraint>" + region + "</LocationConstraint>"
                                + "</CreateBucketConfiguration>")
                        .getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder request =
                request(SdkHttpMethod.PUT, bucket, null).putHeader("Content-Length", Integer.toString(body.length));
        try {
            execute(request, body, "CREATE " + bucket);
        } catch (S3RequestException e) {
            if (!"BucketAlreadyOwnedByYou".equals(e.code()) && !"BucketAlreadyExists".equals(e.code())) {
                throw e;
            }
        }
    }

    /** Where an object's requests go: for tests of the addressing. */
    URI objectUri(String bucket, String key) {
        return request(SdkHttpMethod.GET, bucket, key).build().getUri();
    }

    /** A request for an object ({@code key} set) or for the bucket itself, path-style or virtual-hosted. */
    private SdkHttpRequest.Builder request(SdkHttpMethod method, String bucket, String key) {
        // Virtual-hosted names with a dot do not match the wildcard certificate of *.s3.<region>.amazonaws.com.
        boolean inPath = pathStyle || bucket.contains(".");
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        if (inPath) {
            path += "/" + bucket;
        }
        if (key != null) {
            path += "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
        } else if (!inPath) {
            path += "/";
        }
        return SdkHttpRequest.builder()
                .method(method)
                .protocol(endpoint.getScheme())
                .host(inPath ? endpoint.getHost() : bucket + "." + endpoint.getHost())
                .port(endpoint.getPort() == -1 ? null : endpoint.getPort())
                .encodedPath(path);
    }

    private Response execute(SdkHttpRequest.Builder request, byte[] body, String what) {
        SdkHttpRequest unsigned = request.build();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                backOff(attempt - 1);
            }
            Response response;
            try {
                response = send(unsigned, body);
            } catch (IOException e) {
                failure = new UncheckedIOException(what + ": " + e.getMessage(), e);
                continue;
            }
            if (response.status() < 300 || response.status() == 404 && isExpected404(unsigned, response)) {
                return response;
            }
            S3RequestException refused = S3RequestException.of(what, response.status(), response.body());
            if (response.status() >= 500) {
                failure = refused;
                if (isRetryable(response.status())) {
                    continue;
                }
                break;
            }
            throw refused;
        }
        throw new StoreUnavailableException("S3", failure);
    }

    /** A 404 the caller answers itself (a missing key or bucket), rather than an error. */
    private static boolean isExpected404(SdkHttpRequest request, Response response) {
        return request.method() == SdkHttpMethod.HEAD
                || request.method() == SdkHttpMethod.GET && isMissingKey(response);
    }

    private static boolean isMissingKey(Response response) {
        return "NoSuchKey".equals(S3RequestException.codeOf(response.body()));
    }

    private static boolean isRetryable(int status) {
        return status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * Waits 50–100 ms before the first retry, 100–200 ms before the second (a ceiling doubling from the base, as the
     * SDK's standard retry mode): the jitter spreads the retries of pods that failed together.
     */
    private static void backOff(int retry) {
        long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << (retry - 1));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("S3", e);
        }
    }

    private Response send(SdkHttpRequest unsigned, byte[] body) throws IOException {
        ContentStreamProvider payload = ContentStreamProvider.fromByteArrayUnsafe(body);
        SignedRequest signed;
        try {
            var identity = credentials.resolveCredentials();
            signed = signer.sign(r -> r.identity(identity)
                    .request(unsigned)
                    .payload(payload)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    // S3 wants the payload's SHA-256 in x-amz-content-sha256, which the signer then adds.
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                    // S3 signs the path as sent: keys are encoded once and their "./" and "//" kept.
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false));
        } catch (SdkClientException e) {
            // No credentials yet (IRSA's STS exchange failed, say): like a store that does not answer.
            throw new StoreUnavailableException("S3", e);
        }
        HttpExecuteResponse response = http().prepareRequest(HttpExecuteRequest.builder()
                        .request(signed.request())
                        // A PUT always sends its (maybe empty) body: the client writes whatever Content-Length
                        // announces.
                        .contentStreamProvider(unsigned.method() == SdkHttpMethod.PUT ? payload : null)
                        .build())
                .call();
        byte[] content = NO_BYTES;
        Optional<AbortableInputStream> stream = response.responseBody();
        if (stream.isPresent()) {
            try (InputStream in = stream.get()) {
                content = in.readAllBytes();
            }
        }
        return new Response(
                response.httpResponse().statusCode(), response.httpResponse().headers(), content);
    }

    private record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                    return header.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** ListObjectsV2's answer, read with the JDK's StAX parser. */
    private static final class ListResult {

        static ListPage parse(byte[] xml) {
            List<ObjectSummary> objects = new ArrayList<>();
            String next = null;
            boolean truncated = false;
            try {
                XMLStreamReader reader = Xml.reader(xml);
                String key = null;
                Instant lastModified = null;
                long size = 0;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.END_ELEMENT
                            && reader.getLocalName().equals("Contents")) {
                        objects.add(new ObjectSummary(key, lastModified, size));
                    }
                    if (event != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    switch (reader.getLocalName()) {
                        case "Key" -> key = reader.getElementText();
                        case "LastModified" -> lastModified = Instant.parse(reader.getElementText());
                        case "Size" -> size = Long.parseLong(reader.getElementText());
                        case "IsTruncated" -> truncated = Boolean.parseBoolean(reader.getElementText());
                        case "NextContinuationToken" -> next = reader.getElementText();
                        default -> {}
                    }
                }
            } catch (XMLStreamException e) {
                throw new IllegalStateException("S3 sent a listing that is not XML", e);
            }
            return new ListPage(objects, truncated ? next : null);
        }
    }

    /** The JDK's own StAX parser, without DTDs or external entities. */
    static final class Xml {

        private static final XMLInputFactory FACTORY = factory();

        private static XMLInputFactory factory() {
            XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            return factory;
        }

        static XMLStreamReader reader(byte[] xml) throws XMLStreamException {
            return FACTORY.createXMLStreamReader(new java.io.ByteArrayInputStream(xml));
        }
    }

    private SdkHttpClient http() {
        SdkHttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = httpFactory.get();
                }
                client = http;
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
        }
        if (credentials instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
