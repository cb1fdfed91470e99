package dev.imageflow.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class PixelBudgetTest {

    private static final long MP = 1_000_000;

    @Test
    void aSecondImageWaitsUntilTheFirstOneIsReleased() throws Exception {
        PixelBudget budget = new PixelBudget(12 * MP * PixelBudget.BYTES_PER_PIXEL, Duration.ofSeconds(30));
        PixelBudget.Lease first = budget.reserve(8 * MP);

        CompletableFuture<PixelBudget.Lease> second = CompletableFuture.supplyAsync(() -> budget.reserve(8 * MP));

        assertThat(second).as("no room while the first image is held").isNotDone();
        Thread.sleep(200);
        assertThat(second).isNotDone();
        first.close();
        try (PixelBudget.Lease lease = second.get(10, TimeUnit.SECONDS)) {
            assertThat(budget.used()).isEqualTo(8 * MP * PixelBudget.BYTES_PER_PIXEL);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void imagesThatFitTogetherAreHeldTogether() {
        PixelBudget budget = new PixelBudget(12 * MP * PixelBudget.BYTES_PER_PIXEL, Duration.ZERO);

        try (PixelBudget.Lease a = budget.reserve(6 * MP); PixelBudget.Lease b = budget.reserve(6 * MP)) {
            assertThat(budget.used()).isEqualTo(budget.capacity());
        }
    }

    @Test
    void anImageLargerThanTheWholeBudgetIsLetInAlone() throws Exception {
        PixelBudget budget = new PixelBudget(4 * MP * PixelBudget.BYTES_PER_PIXEL, Duration.ofSeconds(30));

        try (PixelBudget.Lease huge = budget.reserve(50 * MP)) {
            assertThat(budget.used()).isEqualTo(budget.capacity());
            CompletableFuture<PixelBudget.Lease> small = CompletableFuture.supplyAsync(() -> budget.reserve(1));
            Thread.sleep(200);
            assertThat(small).as("nothing else while it is held").isNotDone();
            huge.close();
            small.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void noRoomWithinTheWaitIsATransientFailure() {
        PixelBudget budget = new PixelBudget(MP * PixelBudget.BYTES_PER_PIXEL, Duration.ofMillis(100));

        try (PixelBudget.Lease held = budget.reserve(MP)) {
            assertThatThrownBy(() -> budget.reserve(MP)).isInstanceOf(PixelBudget.MemoryBusyException.class)
                    .hasMessageContaining("try again later");
        }
    }

    @Test
    void aLeaseGivesItsRoomBackOnce() {
        PixelBudget budget = new PixelBudget(2 * MP * PixelBudget.BYTES_PER_PIXEL, Duration.ZERO);
        PixelBudget.Lease a = budget.reserve(MP);
        PixelBudget.Lease b = budget.reserve(MP);

        a.close();
        a.close();

        assertThat(budget.used()).isEqualTo(MP * PixelBudget.BYTES_PER_PIXEL);
        b.close();
    }

    @Test
    void decodingHoldsTheImagesRoomUntilTheDecodedImageIsClosed() {
        ImageCodec codec = new ImageCodec(new ImageLimits(org.springframework.util.unit.DataSize.ofMegabytes(5), 50, 85));
        PixelBudget budget = new PixelBudget(MP * PixelBudget.BYTES_PER_PIXEL, Duration.ZERO);
        byte[] jpeg = dev.imageflow.core.test.TestImages.jpeg(dev.imageflow.core.test.TestImages.photo(400, 300));

        try (DecodedImage decoded = codec.decode(jpeg, budget)) {
            assertThat(budget.used()).isEqualTo(400L * 300 * PixelBudget.BYTES_PER_PIXEL);
            assertThat(decoded.image().getWidth()).isEqualTo(400);
        }
        assertThat(budget.used()).isZero();
    }
}
