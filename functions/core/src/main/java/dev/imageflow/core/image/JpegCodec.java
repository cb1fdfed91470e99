package dev.imageflow.core.image;

import java.awt.image.BufferedImage;
import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;

/**
 * A native JPEG codec that {@link ImageCodec} prefers to ImageIO wherever it can serve: libjpeg-turbo through the
 * FFM API ({@code functions/turbojpeg}), the codec libvips, Pillow and browsers use, about three times ImageIO's
 * speed on Temurin (which carries the IJG libjpeg 6b). It needs Java 22+ and the library, so it is found at run
 * time; where either is missing, ImageIO does the work.
 */
public interface JpegCodec {

    /** What runs, for the logs and the README's question "which codec do I have?". */
    String description();

    /**
     * The size in the header, and whether this codec decodes the image (CMYK and YCCK go to ImageIO).
     *
     * @throws ImageRejectedException (422) when the header cannot be read
     */
    Header readHeader(byte[] jpeg);

    /**
     * Decodes into packed-int RGB of the header's size; damaged data, warnings included, is refused.
     *
     * @throws ImageRejectedException (422) when the data is damaged
     */
    BufferedImage decode(byte[] jpeg, Header header);

    /**
     * Decodes at the DCT scale 1/{@code shrink} (1, 2, 4 or 8): {@code ceil(width / shrink) x ceil(height / shrink)}
     * pixels, each block's pixels computed by the inverse DCT at that size, for a fraction of a full decode's cost.
     * This default decodes in full, which callers see from the size.
     *
     * @throws ImageRejectedException (422) when the data is damaged
     */
    default BufferedImage decode(byte[] jpeg, Header header, int shrink) {
        return decode(jpeg, header);
    }

    /**
     * Decodes at 1/8 scale (the DCT's own, far cheaper than a full decode) only to find damaged data.
     *
     * @throws ImageRejectedException (422) when the data is damaged
     */
    void verify(byte[] jpeg, Header header);

    /** Encodes packed-int RGB or 8-bit grey; null for any other raster, which ImageIO then encodes. */
    byte[] encode(BufferedImage image, int quality);

    record Header(int width, int height, boolean supported) {}

    /** The native codec on the class path that works here, or null (and the reason in the log). */
    static JpegCodec findNative() {
        try {
            return ServiceLoader.load(JpegCodec.class, JpegCodec.class.getClassLoader())
                    .findFirst()
                    .orElse(null);
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            // Java 17 (the codec's classes need 22+), or no libturbojpeg.so.0 on the machine.
            LoggerFactory.getLogger(JpegCodec.class)
                    .info(
                            "JPEG through ImageIO: no native codec ({})",
                            e.getCause() != null ? e.getCause().toString() : e.toString());
            return null;
        }
    }
}
