package dev.imageflow.core.storage;

import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * S3 refused a request for a reason that trying again does not change: wrong credentials, access denied, a missing
 * bucket. Not a {@link dev.imageflow.core.error.TryLaterException}: a function answers it with 500, as any fault of its
 * own set-up.
 */
public class S3RequestException extends RuntimeException {

    private final int status;
    private final String code;

    S3RequestException(String what, int status, String code, String detail) {
        super(what + ": S3 answered " + status + (code == null ? "" : " " + code)
                + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
        this.status = status;
        this.code = code;
    }

    /** From an answer's status and S3's XML error body ({@code <Error><Code>..</Code><Message>..</Message>}). */
    static S3RequestException of(String what, int status, byte[] body) {
        String[] error = error(body);
        return new S3RequestException(what, status, error[0], error[1]);
    }

    /** S3's error code in an error body, or null when there is none (HEAD answers have no body). */
    static String codeOf(byte[] body) {
        return error(body)[0];
    }

    /** The HTTP status S3 answered. */
    public int status() {
        return status;
    }

    /** S3's error code, such as {@code AccessDenied} or {@code NoSuchBucket}; null when the answer had no body. */
    public String code() {
        return code;
    }

    private static String[] error(byte[] body) {
        String code = null;
        String message = null;
        if (body.length == 0) {
            return new String[] {null, null};
        }
        try {
            XMLStreamReader reader = S3Api.Xml.reader(body);
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                    switch (reader.getLocalName()) {
                        case "Code" -> code = reader.getElementText();
                        case "Message" -> message = reader.getElementText();
                        default -> {}
                    }
                }
            }
        } catch (XMLStreamException e) {
            // Not S3's XML (a proxy's HTML page, say): its first line says more than nothing.
            String text = new String(body, StandardCharsets.UTF_8).strip();
            message = text.lines().findFirst().orElse("");
            message = message.length() > 200 ? message.substring(0, 200) : message;
        }
        return new String[] {code, message};
    }
}
