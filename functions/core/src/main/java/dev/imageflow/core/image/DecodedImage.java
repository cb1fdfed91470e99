package dev.imageflow.core.image;

import java.awt.image.BufferedImage;

/** A decoded image, upright, in packed-int RGB (or ARGB when it has transparency), with the format it came in. */
public record DecodedImage(BufferedImage image, ImageFormat format) {
}
