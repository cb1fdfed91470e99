package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.image.DecodedImage;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.image.ImageRejectedException;
import dev.imageflow.core.test.TestImages;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

/**
 * Files that break image services, made here (nothing is downloaded), each taken the whole way a real upload goes:
 * the gateway's check, then decode, every effect and encode in the functions. Each must end as a correct result
 * or a clear 4xx, within seconds, never an OutOfMemoryError or a hang. Maven runs this class in a JVM of its own
 * with a 256 MB heap (see functions/local/pom.xml) to prove the limits hold memory down.
 */
class HostileCorpusTest {

    private static final ImageCodec CODEC = new ImageCodec(new ImageLimits(DataSize.ofMegabytes(25), 50, 85));
    private static final List<EffectSpec<?>> EFFECTS = ShippedEffects.catalog().all();

    enum Outcome {
        PROCESSED,
        REJECTED
    }

    static Stream<Arguments> corpus() throws IOException {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(640, 480));
        byte[] png = TestImages.png(TestImages.photo(320, 240));
        return Stream.of(
                Arguments.of(
                        "decompression bomb PNG: 40000 x 40000 declared in a few bytes",
                        RejectedInputTest.pngHeader(40_000, 40_000),
                        Outcome.REJECTED),
                Arguments.of(
                        "JPEG whose header declares 65000 x 65000",
                        jpegDeclaring(jpeg, 65_000, 65_000),
                        Outcome.REJECTED),
                Arguments.of("truncated JPEG", Arrays.copyOf(jpeg, jpeg.length / 2), Outcome.REJECTED),
                Arguments.of("truncated PNG", Arrays.copyOf(png, png.length / 3), Outcome.REJECTED),
                Arguments.of("zero bytes", new byte[0], Outcome.REJECTED),
                Arguments.of("text sent as image/jpeg", "GET / HTTP/1.1\r\n\r\n".getBytes(), Outcome.REJECTED),
                Arguments.of("animated GIF of 300 frames", animatedGif(300), Outcome.PROCESSED),
                Arguments.of("CMYK JPEG (Adobe APP14)", cmykJpeg(), Outcome.PROCESSED),
                Arguments.of("16-bit RGB PNG", TestImages.png(sixteenBitRgb(200, 150)), Outcome.PROCESSED),
                Arguments.of("16-bit grey PNG", TestImages.png(sixteenBitGrey(200, 150)), Outcome.PROCESSED),
                Arguments.of(
                        "palette PNG with transparency",
                        TestImages.png(paletteWithTransparency(160, 120)),
                        Outcome.PROCESSED),
                Arguments.of(
                        "JPEG with a 64 KB EXIF segment of garbage",
                        withSegment(jpeg, 0xE1, exifGarbage()),
                        Outcome.PROCESSED),
                Arguments.of("JPEG with 1 MB of ICC segments of garbage", withIccGarbage(jpeg, 16), null),
                Arguments.of("PNG whose extension says JPEG", png, Outcome.PROCESSED));
    }

    /**
     * @param expected what must happen, or null where either a correct result or a clear refusal is right
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyHostileFileEndsAsAResultOrAClear4xx(String name, byte[] file, Outcome expected) {
        Outcome outcome = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> {
                    try {
                        CODEC.verify(file);
                        DecodedImage decoded = CODEC.decode(file);
                        for (EffectSpec<?> effect : EFFECTS) {
                            BufferedImage result = effect.forStep(0, Map.of()).apply(decoded.image());
                            byte[] encoded =
                                    CODEC.encode(result, decoded.format().resultFormat());
                            assertThat(TestImages.read(encoded).getWidth()).isPositive();
                        }
                        return Outcome.PROCESSED;
                    } catch (ImageRejectedException e) {
                        assertThat(e.reason()).as(e.getMessage()).isNotEqualTo(ImageRejectedException.Reason.MISSING);
                        assertThat(e.getMessage()).isNotBlank();
                        return Outcome.REJECTED;
                    }
                },
                name);
        if (expected != null) {
            assertThat(outcome).as(name).isEqualTo(expected);
        }
    }

    static byte[] jpegDeclaring(byte[] jpeg, int width, int height) {
        byte[] copy = jpeg.clone();
        for (int i = 2; i < copy.length - 9; i++) {
            if ((copy[i] & 0xFF) == 0xFF && (copy[i + 1] & 0xFF) == 0xC0) {
                copy[i + 5] = (byte) (height >> 8);
                copy[i + 6] = (byte) height;
                copy[i + 7] = (byte) (width >> 8);
                copy[i + 8] = (byte) width;
                return copy;
            }
        }
        throw new IllegalStateException("no SOF0");
    }

    static byte[] animatedGif(int frames) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames; i++) {
                BufferedImage frame = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED);
                frame.getGraphics().fillRect(i % 64, 0, 8, 64);
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        }
        return bytes.toByteArray();
    }

    /** Four-channel JPEG as print workflows write it (Adobe APP14), which the JDK's own reader does not decode. */
    static byte[] cmykJpeg() throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 120, 90, 4, null);
        Random random = new Random(1);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 120; x++) {
                raster.setPixel(x, y, new int[] {x * 2, y * 2, random.nextInt(50), 20});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        }
        // Adobe APP14, transform 0: "these four channels are CMYK", as Photoshop writes it.
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return withSegment(bytes.toByteArray(), 0xEE, adobe);
    }

    static BufferedImage sixteenBitRgb(int w, int h) {
        ColorModel model = new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, ColorModel.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {x * 300, y * 400, 30000});
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    static BufferedImage sixteenBitGrey(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.getRaster().setSample(x, y, 0, x * 300);
            }
        }
        return image;
    }

    static BufferedImage paletteWithTransparency(int w, int h) {
        byte[] r = {0, (byte) 255, 0};
        byte[] g = {0, 0, (byte) 255};
        byte[] b = {0, 0, 0};
        byte[] a = {0, (byte) 255, (byte) 128};
        BufferedImage image =
                new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b, a));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.getRaster().setSample(x, y, 0, (x / 20 + y / 20) % 3);
            }
        }
        return image;
    }

    static byte[] exifGarbage() {
        byte[] segment = new byte[65_000];
        new Random(7).nextBytes(segment);
        System.arraycopy("Exif\0\0MM\0*".getBytes(), 0, segment, 0, 10);
        return segment;
    }

    static byte[] withIccGarbage(byte[] jpeg, int chunks) {
        byte[] result = jpeg;
        for (int i = chunks; i >= 1; i--) {
            byte[] segment = new byte[65_000];
            new Random(i).nextBytes(segment);
            byte[] header = "ICC_PROFILE\0".getBytes();
            System.arraycopy(header, 0, segment, 0, header.length);
            segment[12] = (byte) i;
            segment[13] = (byte) chunks;
            result = withSegment(result, 0xE2, segment);
        }
        return result;
    }

    /** Inserts an APPn segment right after SOI. */
    static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        int length = payload.length + 2;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
