package dev.imageflow.core.config;

import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.web.IdleHeapCollector;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Decoding and encoding within the limits, and the heap they may take. */
@Configuration(proxyBeanMethods = false)
class ImagesConfiguration {

    @Bean
    ImageCodec imageCodec(ImageflowProperties properties) {
        ImageCodec codec = new ImageCodec(properties.image());
        LoggerFactory.getLogger(ImageCodec.class).info("JPEG through {}", codec.jpegCodec());
        return codec;
    }

    /**
     * One per JVM: the one-machine runner hands the same budget to every function it starts, so this one is only
     * made where none was given.
     */
    @Bean
    @ConditionalOnMissingBean
    HeapBudget heapBudget(ImageflowProperties properties) {
        return HeapBudget.ofHeapShare(
                properties.memory().heapShare(), properties.memory().maxWait());
    }

    /** The heap a step or an upload grew, collected and handed back once the function idles. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    IdleHeapCollector idleHeapCollector(ImageflowProperties properties) {
        return new IdleHeapCollector(properties.idleGcAfter(), IdleHeapCollector::collectAndShrink);
    }
}
