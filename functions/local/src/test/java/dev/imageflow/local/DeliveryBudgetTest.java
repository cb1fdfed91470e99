package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.function.StepProperties;
import dev.imageflow.gateway.GatewayProperties;
import dev.imageflow.local.EventingManifests.Delivery;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The timings that keep jobs from being lost or done twice fit together: the defaults a gateway and a function get
 * against the delivery settings in {@code eventing/broker.yaml}, which both a cluster and the runner use.
 */
class DeliveryBudgetTest {

    private final Delivery delivery =
            EventingManifests.fromDirectory(Path.of("../../eventing")).broker().delivery();
    private final Binder defaults = new Binder(new MapConfigurationPropertySource());
    private final GatewayProperties gateway = defaults.bindOrCreate("imageflow.gateway", GatewayProperties.class);
    private final StepProperties step = defaults.bindOrCreate("imageflow.step", StepProperties.class);

    @Test
    void aQuietJobIsReDrivenOnlyAfterEveryTryOfItsLastDeliveryHadItsTime() {
        assertThat(delivery.worstCase()).isEqualTo(Duration.ofSeconds(607, 500_000_000));
        assertThat(gateway.redriveAfter()).isGreaterThan(delivery.worstCase());
    }

    @Test
    void aJobTimesOutOnlyAfterItCouldHaveBeenReDriven() {
        assertThat(gateway.jobTimeout()).isGreaterThan(gateway.redriveAfter());
    }

    @Test
    void aStepClaimOutlivesOneTryAndLapsesBeforeTheJobIsReDriven() {
        assertThat(step.claimLease()).isGreaterThanOrEqualTo(delivery.timeout());
        assertThat(step.claimLease()).isLessThan(gateway.redriveAfter());
    }
}
