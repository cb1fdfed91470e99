package dev.imageflow.core.image;

import java.util.Arrays;
import net.coobird.thumbnailator.util.exif.ExifUtils;
import net.coobird.thumbnailator.util.exif.Orientation;

/** What ImageCodec reads from a JPEG's marker segments before decoding: its EXIF orientation and its ICC profile. */
final class JpegSegments {

    private JpegSegments() {}

    /**
     * The orientation in a JPEG's EXIF segment, found by walking the markers before the image data. Reading it
     * this way works whatever order the APP segments come in, which ImageIO's metadata parser is strict about.
     */
    static Orientation exifOrientation(byte[] jpeg) {
        int at = findSegment(jpeg, 0xE1, "Exif\0\0");
        if (at < 0) {
            return null;
        }
        try {
            int length = (jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF;
            return ExifUtils.getOrientationFromExif(Arrays.copyOfRange(jpeg, at + 4, at + 2 + length));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** An embedded colour profile: ImageIO applies it, so such files keep ImageIO's path and look the same. */
    static boolean hasIccProfile(byte[] jpeg) {
        return findSegment(jpeg, 0xE2, "ICC_PROFILE\0") >= 0;
    }

    /** Where the first {@code marker} segment starting with {@code signature} begins, before the image data; or -1. */
    private static int findSegment(byte[] jpeg, int wanted, String signature) {
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                return -1;
            }
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return -1;
            }
            int length = (jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF;
            if (length < 2 || i + 2 + length > jpeg.length) {
                return -1;
            }
            if (marker == wanted && length >= 2 + signature.length() && matches(jpeg, i + 4, signature)) {
                return i;
            }
            i += 2 + length;
        }
        return -1;
    }

    private static boolean matches(byte[] bytes, int at, String signature) {
        for (int k = 0; k < signature.length(); k++) {
            if (bytes[at + k] != signature.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
