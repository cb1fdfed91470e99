package dev.imageflow.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;

/** The Redis client's resources carry only what a function uses. */
class StoresConfigurationTest {

    @Test
    void lettuceKeepsNoCommandLatencyStatistics() {
        ClientResources resources = new StoresConfiguration().redisClientResources();
        try {
            // Micrometer puts HdrHistogram and LatencyUtils on the class path, which turns them on by default.
            assertThat(resources.commandLatencyRecorder().isEnabled()).isFalse();
            assertThat(resources.commandLatencyPublisherOptions().eventEmitInterval())
                    .isZero();
        } finally {
            resources.shutdown();
        }
    }
}
