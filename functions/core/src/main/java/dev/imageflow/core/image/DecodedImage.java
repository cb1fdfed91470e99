package dev.imageflow.core.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image, upright, in packed-int RGB (or ARGB when it has transparency), with the format it came in.
 * It holds its room in the {@link HeapBudget} until closed, so a step keeps it open until its result is encoded.
 */
public record DecodedImage(BufferedImage image, ImageFormat format, HeapBudget.Lease lease) implements AutoCloseable {

    public DecodedImage(BufferedImage image, ImageFormat format) {
        this(image, format, HeapBudget.Lease.NONE);
    }

    @Override
    public void close() {
        lease.close();
    }
}
