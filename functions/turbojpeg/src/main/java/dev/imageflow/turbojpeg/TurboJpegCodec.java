package dev.imageflow.turbojpeg;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.imageflow.core.image.ImageRejectedException;
import dev.imageflow.core.image.ImageRejectedException.Reason;
import dev.imageflow.core.image.JpegCodec;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;

/**
 * JPEG through libjpeg-turbo's TurboJPEG 2 API ({@code libturbojpeg.so.0}, Debian's {@code libturbojpeg0}), called
 * with the FFM API. Pixels go straight between the library and the {@code BufferedImage}'s own int or byte array
 * (critical downcalls may read and write the Java heap), so a decode or encode copies nothing the library does not.
 * Decoding stops on the first warning (a truncated file is refused, not padded with grey) and limits progressive
 * scans (a crafted file cannot make it loop); the DCT is the accurate one, as ImageIO's and libvips' defaults.
 */
public final class TurboJpegCodec implements JpegCodec {

    private static final String LIBRARY = "libturbojpeg.so.0";
    // turbojpeg.h, TurboJPEG 2.1
    private static final int TJPF_BGRX = 3;
    private static final int TJPF_GRAY = 6;
    private static final int TJSAMP_420 = 2;
    private static final int TJSAMP_GRAY = 3;
    private static final int TJCS_CMYK = 3;
    private static final int TJCS_YCCK = 4;
    private static final int TJFLAG_STOPONWARNING = 8192;
    private static final int TJFLAG_LIMITSCANS = 32768;

    private final SymbolLookup library;
    /** Linking the downcalls costs ~0.4 s in a fresh JVM: done on first use (the warm-up's thread), not at start. */
    private volatile Calls calls;

    /**
     * Loads the library and checks it has every function used; ServiceLoader reports the failure where it is
     * missing, and ImageIO is used.
     */
    public TurboJpegCodec() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // Packed ints are laid out as BGRX bytes only on little-endian machines.
            throw new IllegalStateException("libjpeg-turbo codec needs a little-endian machine");
        }
        library = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        for (String function : new String[] {
            "tjInitDecompress",
            "tjDecompressHeader3",
            "tjDecompress2",
            "tjInitCompress",
            "tjCompress2",
            "tjFree",
            "tjDestroy",
            "tjGetErrorStr2"
        }) {
            library.findOrThrow(function);
        }
    }

    /** The TurboJPEG functions as method handles. */
    private record Calls(
            MethodHandle initDecompress,
            MethodHandle decompressHeader3,
            MethodHandle decompress2,
            MethodHandle initCompress,
            MethodHandle compress2,
            MethodHandle free,
            MethodHandle destroy,
            MethodHandle errorString) {

        static Calls link(SymbolLookup library) {
            Linker linker = Linker.nativeLinker();
            // Critical: may read and write the Java heap, so pixels need no copy to native memory.
            Linker.Option heap = Linker.Option.critical(true);
            return new Calls(
                    linker.downcallHandle(library.findOrThrow("tjInitDecompress"), FunctionDescriptor.of(ADDRESS)),
                    linker.downcallHandle(
                            library.findOrThrow("tjDecompressHeader3"),
                            FunctionDescriptor.of(
                                    JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                            heap),
                    linker.downcallHandle(
                            library.findOrThrow("tjDecompress2"),
                            FunctionDescriptor.of(
                                    JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                                    JAVA_INT, JAVA_INT),
                            heap),
                    linker.downcallHandle(library.findOrThrow("tjInitCompress"), FunctionDescriptor.of(ADDRESS)),
                    linker.downcallHandle(
                            library.findOrThrow("tjCompress2"),
                            FunctionDescriptor.of(
                                    JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                                    ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT),
                            heap),
                    linker.downcallHandle(library.findOrThrow("tjFree"), FunctionDescriptor.ofVoid(ADDRESS)),
                    linker.downcallHandle(library.findOrThrow("tjDestroy"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                    linker.downcallHandle(
                            library.findOrThrow("tjGetErrorStr2"), FunctionDescriptor.of(ADDRESS, ADDRESS)));
        }
    }

    private Calls calls() {
        Calls linked = calls;
        if (linked == null) {
            synchronized (this) {
                if (calls == null) {
                    calls = Calls.link(library);
                }
                linked = calls;
            }
        }
        return linked;
    }

    @Override
    public String description() {
        return "libjpeg-turbo (" + LIBRARY + ", FFM)";
    }

    @Override
    public Header readHeader(byte[] jpeg) {
        return withHandle(false, (calls, handle) -> {
            int[] out = new int[4];
            MemorySegment fields = MemorySegment.ofArray(out);
            int status = (int) calls.decompressHeader3()
                    .invokeExact(
                            handle,
                            MemorySegment.ofArray(jpeg),
                            (long) jpeg.length,
                            fields.asSlice(0, 4),
                            fields.asSlice(4, 4),
                            fields.asSlice(8, 4),
                            fields.asSlice(12, 4));
            if (status != 0) {
                throw damaged(handle);
            }
            return new Header(out[0], out[1], out[3] != TJCS_CMYK && out[3] != TJCS_YCCK);
        });
    }

    @Override
    public BufferedImage decode(byte[] jpeg, Header header) {
        return decode(jpeg, header, 1);
    }

    @Override
    public BufferedImage decode(byte[] jpeg, Header header, int shrink) {
        if (shrink != 1 && shrink != 2 && shrink != 4 && shrink != 8) {
            throw new IllegalArgumentException("DCT scale 1/" + shrink + ": use 1, 2, 4 or 8");
        }
        // TurboJPEG decodes at the largest of its scaling factors whose size fits the one asked for; ceil(size / k),
        // as libjpeg rounds a scaled size, is exactly 1/k (every libjpeg-turbo has 1/2, 1/4 and 1/8).
        int width = (header.width() + shrink - 1) / shrink;
        int height = (header.height() + shrink - 1) / shrink;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        return withHandle(false, (calls, handle) -> {
            int status = (int) calls.decompress2()
                    .invokeExact(
                            handle,
                            MemorySegment.ofArray(jpeg),
                            (long) jpeg.length,
                            MemorySegment.ofArray(pixels),
                            width,
                            width * 4,
                            height,
                            TJPF_BGRX,
                            TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS);
            if (status != 0) {
                throw damaged(handle);
            }
            return image;
        });
    }

    @Override
    public void verify(byte[] jpeg, Header header) {
        // At 1/8 every byte is still entropy-decoded, so damage anywhere is found, at an eighth of the pixels.
        decode(jpeg, header, 8);
    }

    @Override
    public byte[] encode(BufferedImage image, int quality) {
        MemorySegment pixels;
        int format;
        int subsampling;
        int bytesPerPixel;
        if (image.getType() == BufferedImage.TYPE_INT_RGB && isPlain(image)) {
            pixels = MemorySegment.ofArray(((DataBufferInt) image.getRaster().getDataBuffer()).getData());
            format = TJPF_BGRX;
            subsampling = TJSAMP_420;
            bytesPerPixel = 4;
        } else if (image.getType() == BufferedImage.TYPE_BYTE_GRAY && isPlain(image)) {
            pixels = MemorySegment.ofArray(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
            format = TJPF_GRAY;
            subsampling = TJSAMP_GRAY;
            bytesPerPixel = 1;
        } else {
            return null;
        }
        return withHandle(true, (calls, handle) -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(ADDRESS);
                MemorySegment size = arena.allocate(JAVA_LONG);
                int status = (int) calls.compress2()
                        .invokeExact(
                                handle,
                                pixels,
                                image.getWidth(),
                                image.getWidth() * bytesPerPixel,
                                image.getHeight(),
                                format,
                                buffer,
                                size,
                                subsampling,
                                quality,
                                0);
                MemorySegment jpeg = buffer.get(ADDRESS, 0);
                try {
                    if (status != 0) {
                        throw new IllegalStateException("libjpeg-turbo cannot encode: " + message(handle));
                    }
                    return jpeg.reinterpret(size.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
                } finally {
                    if (!jpeg.equals(MemorySegment.NULL)) {
                        calls.free().invokeExact(jpeg);
                    }
                }
            }
        });
    }

    /** A raster that is the image's own array, unshared, one element per pixel, rows back to back. */
    private static boolean isPlain(BufferedImage image) {
        var raster = image.getRaster();
        // instanceof patterns rather than a pattern switch: the formatter parses with the JDK Maven runs on (17).
        var model = raster.getSampleModel();
        int stride = -1;
        if (model instanceof SinglePixelPackedSampleModel packed) {
            stride = packed.getScanlineStride();
        } else if (model instanceof ComponentSampleModel component && component.getPixelStride() == 1) {
            stride = component.getScanlineStride();
        }
        return stride == image.getWidth()
                && raster.getParent() == null
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && raster.getDataBuffer().getOffset() == 0;
    }

    /** Work with a TurboJPEG handle of its own (they are cheap, and not for two threads at once). */
    private interface HandleWork<T> {
        T apply(Calls calls, MemorySegment handle) throws Throwable;
    }

    private <T> T withHandle(boolean compress, HandleWork<T> work) {
        Calls calls = calls();
        MemorySegment handle;
        try {
            handle = (MemorySegment) (compress ? calls.initCompress() : calls.initDecompress()).invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("libjpeg-turbo failed", e);
        }
        if (handle.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("libjpeg-turbo could not make a handle");
        }
        try {
            return work.apply(calls, handle);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libjpeg-turbo failed", e);
        } finally {
            try {
                int ignored = (int) calls.destroy().invokeExact(handle);
            } catch (Throwable e) {
                throw new IllegalStateException("libjpeg-turbo failed", e);
            }
        }
    }

    private ImageRejectedException damaged(MemorySegment handle) {
        return new ImageRejectedException(Reason.DAMAGED, "image data is damaged: " + message(handle));
    }

    private String message(MemorySegment handle) {
        try {
            return ((MemorySegment) calls().errorString().invokeExact(handle))
                    .reinterpret(1024)
                    .getString(0);
        } catch (Throwable e) {
            return "unknown error";
        }
    }
}
