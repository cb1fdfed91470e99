package dev.imageflow.core.image;

import dev.imageflow.core.error.TryLaterException;
import dev.imageflow.core.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import net.coobird.thumbnailator.util.exif.Orientation;

/**
 * Turns bytes into upright pixels and back, refusing anything over {@link ImageLimits} before it can cost memory.
 */
public class ImageCodec {

    private static final int VERIFY_SUBSAMPLING = 8;

    private final ImageLimits limits;
    private final JpegCodec jpeg;

    /** With the native JPEG codec where one works here (see {@link JpegCodec}), else ImageIO alone. */
    public ImageCodec(ImageLimits limits) {
        this(limits, JpegCodec.findNative());
    }

    /** @param jpeg the native JPEG codec, or null for ImageIO alone */
    public ImageCodec(ImageLimits limits, JpegCodec jpeg) {
        this.limits = limits;
        this.jpeg = jpeg;
        // Decoding happens in memory; ImageIO's default disk cache only adds temp-file I/O.
        ImageIO.setUseCache(false);
    }

    /** Which codec decodes and encodes JPEG here. */
    public String jpegCodec() {
        return jpeg == null ? "ImageIO" : jpeg.description();
    }

    public ImageLimits limits() {
        return limits;
    }

    /**
     * Reads format and dimensions from the header alone and checks them against the limits.
     *
     * @throws ImageRejectedException when the bytes are empty, too many, not a supported image, or too many pixels
     */
    public ImageInfo probe(byte[] bytes) {
        return withReader(bytes, (reader, info) -> info);
    }

    /**
     * Checks that the whole image decodes, without holding its full raster: every byte is read, but only one pixel
     * in {@value #VERIFY_SUBSAMPLING} squared is kept. Catches truncated and corrupt files at the door.
     *
     * @throws ImageRejectedException as {@link #decode}
     */
    public ImageInfo verify(byte[] bytes) {
        JpegCodec.Header header = nativeJpegHeader(bytes);
        if (header != null) {
            ImageInfo info = checkPixels(new ImageInfo(ImageFormat.JPEG, header.width(), header.height()));
            jpeg.verify(bytes, header);
            return info;
        }
        return withReader(bytes, (reader, info) -> {
            readPixels(reader, VERIFY_SUBSAMPLING);
            return info;
        });
    }

    /**
     * Decodes the first frame, turned upright by its EXIF orientation, into packed-int RGB or ARGB.
     *
     * @throws ImageRejectedException as {@link #probe}, or when the data is truncated or corrupt
     */
    public DecodedImage decode(byte[] bytes) {
        return decode(bytes, HeapBudget.UNLIMITED);
    }

    /**
     * As {@link #decode(byte[])}, first waiting for room in {@code budget} once the header has told the size; the
     * result holds that room until it is closed.
     *
     * @throws HeapBudget.MemoryBusyException when no room came in time
     */
    public DecodedImage decode(byte[] bytes, HeapBudget budget) {
        return decode(bytes, budget, DecodeHint.FULL);
    }

    /**
     * As {@link #decode(byte[], HeapBudget)}, but possibly smaller: a JPEG that the native codec decodes comes out at
     * the largest DCT scale (1/2, 1/4, 1/8) that keeps the upright image at least {@code hint}'s size, as libvips'
     * shrink-on-load does for thumbnails; its budget is that of the pixels decoded. Limits and orientation are
     * checked and applied as for a full decode. Other formats, and JPEG through ImageIO, decode in full.
     */
    public DecodedImage decode(byte[] bytes, HeapBudget budget, DecodeHint hint) {
        JpegCodec.Header header = nativeJpegHeader(bytes);
        if (header != null) {
            ImageInfo info = checkPixels(new ImageInfo(ImageFormat.JPEG, header.width(), header.height()));
            Orientation orientation = JpegSegments.exifOrientation(bytes);
            boolean turned = Rasters.transposes(orientation);
            int shrink = DecodeHint.dctShrink(
                    hint, turned ? info.height() : info.width(), turned ? info.width() : info.height());
            long pixels = (long) ((info.width() + shrink - 1) / shrink) * ((info.height() + shrink - 1) / shrink);
            HeapBudget.Lease lease = budget.forPixels(pixels);
            try {
                BufferedImage image = Rasters.upright(jpeg.decode(bytes, header, shrink), orientation);
                return new DecodedImage(image, ImageFormat.JPEG, lease);
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
        }
        DecodedImage decoded = withReader(bytes, (reader, info) -> {
            HeapBudget.Lease lease = budget.forPixels(info.pixels());
            try {
                return new DecodedImage(Rasters.toPackedInt(readPixels(reader, 1)), info.format(), lease);
            } catch (IOException | RuntimeException e) {
                lease.close();
                throw e;
            }
        });
        if (decoded.format() == ImageFormat.JPEG) {
            return new DecodedImage(
                    Rasters.upright(decoded.image(), JpegSegments.exifOrientation(bytes)),
                    decoded.format(),
                    decoded.lease());
        }
        return decoded;
    }

    /**
     * The header of a JPEG the native codec takes (not CMYK or YCCK, no colour profile), or null when ImageIO is to
     * read the bytes: no native codec here, another format, or one of those.
     */
    private JpegCodec.Header nativeJpegHeader(byte[] bytes) {
        if (jpeg == null) {
            return null;
        }
        checkSize(bytes);
        if (ImageFormat.sniff(bytes).orElse(null) != ImageFormat.JPEG || JpegSegments.hasIccProfile(bytes)) {
            return null;
        }
        JpegCodec.Header header = jpeg.readHeader(bytes);
        return header.supported() ? header : null;
    }

    /** What to do with a reader whose header passed the limits. */
    private interface ReaderWork<T> {
        T apply(ImageReader reader, ImageInfo info) throws IOException;
    }

    /**
     * Checks size and format, opens one reader, checks the header's dimensions against the limits, and only then
     * lets {@code work} decode: the header is parsed once, and nothing is decoded before it is known to fit.
     */
    private <T> T withReader(byte[] bytes, ReaderWork<T> work) {
        checkSize(bytes);
        ImageFormat format = ImageFormat.sniff(bytes)
                .orElseThrow(() -> new ImageRejectedException(
                        Reason.UNSUPPORTED, "not a supported image: expected JPEG, PNG, GIF or BMP"));
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(format);
            try {
                // Metadata is not needed (orientation is read from the bytes) and costs time and memory.
                reader.setInput(in, true, true);
                ImageInfo info = checkPixels(new ImageInfo(format, reader.getWidth(0), reader.getHeight(0)));
                return work.apply(reader, info);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageRejectedException || e instanceof TryLaterException) {
                throw (RuntimeException) e;
            }
            throw corrupt(format, e);
        }
    }

    private static BufferedImage readPixels(ImageReader reader, int subsampling) throws IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        if (subsampling > 1) {
            param.setSourceSubsampling(subsampling, subsampling, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
        // A truncated JPEG decodes "successfully" with grey where the data ended; only the warning tells.
        if (!warnings.isEmpty()) {
            throw new ImageRejectedException(Reason.DAMAGED, "image data is damaged: " + warnings.get(0));
        }
        return image;
    }

    /** Encodes in {@code format}, JPEG at the configured quality. Grey images stay one channel. */
    public byte[] encode(BufferedImage image, ImageFormat format) {
        if (jpeg != null && format == ImageFormat.JPEG) {
            byte[] encoded = jpeg.encode(Rasters.withoutAlpha(image), limits.jpegQuality());
            if (encoded != null) {
                return encoded;
            }
        }
        ImageWriter writer =
                ImageIO.getImageWritersByFormatName(format.imageIoName()).next();
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(Math.max(1024, image.getWidth() * image.getHeight() / 4));
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == ImageFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(limits.jpegQuality() / 100f);
                image = Rasters.withoutAlpha(image);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + format, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private void checkSize(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ImageRejectedException(Reason.EMPTY, "the file is empty");
        }
        if (bytes.length > limits.maxBytes().toBytes()) {
            throw new ImageRejectedException(
                    Reason.TOO_LARGE,
                    "the file is " + bytes.length + " bytes; the limit is "
                            + limits.maxBytes().toBytes());
        }
    }

    private ImageInfo checkPixels(ImageInfo info) {
        if (info.width() <= 0 || info.height() <= 0) {
            throw new ImageRejectedException(Reason.DAMAGED, "the image has no pixels");
        }
        if (info.pixels() > limits.maxPixels()) {
            throw new ImageRejectedException(
                    Reason.TOO_LARGE,
                    String.format(
                            "the image is %d x %d (%.1f MP); the limit is %.1f MP",
                            info.width(), info.height(), info.pixels() / 1e6, limits.maxMegapixels()));
        }
        return info;
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        return readers.next();
    }

    private static ImageRejectedException corrupt(ImageFormat format, Exception cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if ("Unsupported Image Type".equals(reason)) {
            reason = "its colour model (CMYK or YCCK, as print workflows write) is not supported; save it as RGB";
        }
        return new ImageRejectedException(
                Reason.DAMAGED, "the " + format + " image cannot be decoded: " + reason, cause);
    }
}
