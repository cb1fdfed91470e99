package dev.imageflow.core.observe;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One span's place in a W3C trace (https://www.w3.org/TR/trace-context/): the trace it belongs to, its own id and
 * whether the trace is sampled, read from and written as a {@code traceparent} value.
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {

    private static final Pattern TRACEPARENT =
            Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);

    /** A new trace, sampled: one job is one trace, and every job's trace is worth keeping. */
    public static TraceContext newTrace() {
        return new TraceContext(randomHex(16), randomHex(8), true);
    }

    /**
     * The span a {@code traceparent} value names, or null when the value is missing or not one (the spec says to
     * start a new trace then, never to fail the request).
     */
    public static TraceContext parse(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var match = TRACEPARENT.matcher(traceparent.trim());
        if (!match.matches()
                || traceparent.startsWith("ff")
                || match.group(1).equals(INVALID_TRACE)
                || match.group(2).equals(INVALID_SPAN)) {
            return null;
        }
        return new TraceContext(match.group(1), match.group(2), (HexFormat.fromHexDigits(match.group(3)) & 1) == 1);
    }

    /** A span of the same trace whose parent is this one. */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(8), sampled);
    }

    public String traceparent() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    private static String randomHex(int bytes) {
        byte[] id = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(id);
        } while (isZero(id));
        return HexFormat.of().formatHex(id);
    }

    private static boolean isZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
