package dev.imageflow.core.image;

import java.util.Optional;

/**
 * The formats the pipeline accepts, recognised by their magic bytes rather than by a file name or a declared
 * content type, both of which the client chooses.
 */
public enum ImageFormat {
    JPEG("jpeg", "image/jpeg"),
    PNG("png", "image/png"),
    GIF("gif", "image/gif"),
    BMP("bmp", "image/bmp");

    private final String imageIoName;
    private final String contentType;

    ImageFormat(String imageIoName, String contentType) {
        this.imageIoName = imageIoName;
        this.contentType = contentType;
    }

    public String imageIoName() {
        return imageIoName;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * The format results are written in: photographs stay JPEG; everything else becomes PNG, which keeps
     * transparency and does not add compression artefacts to graphics.
     */
    public ImageFormat resultFormat() {
        return this == JPEG ? JPEG : PNG;
    }

    public static Optional<ImageFormat> sniff(byte[] head) {
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return Optional.of(GIF);
        }
        if (startsWith(head, 'B', 'M') && head.length > 26) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
