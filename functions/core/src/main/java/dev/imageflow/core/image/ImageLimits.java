package dev.imageflow.core.image;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one image may cost. Pixels are checked from the header before decoding, because the decoded raster, not the
 * file, is what exhausts memory: a 5 KB PNG can declare 40000 x 40000 pixels.
 *
 * @param maxBytes      largest accepted file
 * @param maxMegapixels largest accepted width x height, in millions of pixels
 * @param jpegQuality   quality of JPEG results, 0-100
 */
public record ImageLimits(
        @DefaultValue("25MB") DataSize maxBytes,
        @DefaultValue("50") double maxMegapixels,
        @DefaultValue("85") int jpegQuality) {

    public long maxPixels() {
        return (long) (maxMegapixels * 1_000_000);
    }
}
