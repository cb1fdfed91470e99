package dev.imageflow.core.embedded;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy in this JVM: a real S3 API server on a loopback port, storing objects in a folder (or in memory), with
 * AWS signature checking on, so the functions use the same SDK calls and credentials path as against AWS.
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "imageflow";
    public static final String SECRET_KEY = "imageflow-local-secret";

    private final int port;
    /** Kept across {@link #stop()} and {@link #start()}, so a restart finds the objects (even in memory). */
    private final BlobStore store;

    private S3Proxy proxy;

    private EmbeddedS3(int port, Path directory) {
        this.port = port;
        this.store = directory == null
                ? new TransientNio2BlobStore()
                : new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
    }

    /**
     * @param port      the port to listen on; 0 for any free one
     * @param directory where objects are kept; null keeps them in memory
     */
    public static EmbeddedS3 start(int port, Path directory) {
        EmbeddedS3 s3 = new EmbeddedS3(port == 0 ? FreePort.find() : port, directory);
        s3.start();
        return s3;
    }

    /** Starts again on the same port and store, after {@link #stop()}: for outage tests. */
    public void start() {
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy on port " + port, e);
        }
    }

    public void stop() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        if (proxy != null) {
            stop();
        }
    }
}
