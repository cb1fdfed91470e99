package dev.imageflow.core.config;

import java.awt.image.BufferedImage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageFormat;

/**
 * The first request of a cold function used to pay for the image codecs' own start (ImageIO's plugin registry,
 * the native JPEG library, colour management), about half a second after Spring had started. Encoding and decoding
 * a tiny image on a thread of its own as soon as the codec exists does that work while the rest of the context and
 * Tomcat start, on the other core. It touches neither Redis nor S3, so it never delays or fails start-up.
 */
@AutoConfiguration(after = ImageflowAutoConfiguration.class)
public class ColdPathWarmup {

    private static final Logger log = LoggerFactory.getLogger(ColdPathWarmup.class);

    @Bean
    @ConditionalOnBean(ImageCodec.class)
    Thread imageCodecWarmup(ImageCodec codec) {
        Thread warmup = new Thread(() -> warm(codec), "codec-warmup");
        warmup.setDaemon(true);
        warmup.start();
        return warmup;
    }

    static void warm(ImageCodec codec) {
        try {
            BufferedImage tiny = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            tiny.setRGB(3, 5, 0xff8040);
            for (ImageFormat format : new ImageFormat[] {ImageFormat.JPEG, ImageFormat.PNG}) {
                codec.decode(codec.encode(tiny, format));
            }
        } catch (RuntimeException e) {
            log.debug("codec warm-up failed; the first request pays for it instead: {}", e.toString());
        }
    }
}
