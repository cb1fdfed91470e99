package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.local.EventingManifests.Trigger;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Follows events through the Trigger filters of the repository's {@code eventing/} folder, hop by hop, as the
 * Broker would route them: every effect chain must reach exactly one subscriber per hop and end at the gateway.
 */
class TriggerRoutingTest {

    private static final EventingManifests EVENTING = EventingManifests.fromDirectory(Path.of("../../eventing"));
    private final PipelineEvents events = new PipelineEvents(
            new ObjectMapper(), URI.create("/test"), new dev.imageflow.core.observe.EventTracing("test"));

    static Stream<List<String>> effectChains() {
        List<String> names = ShippedEffects.names();
        List<List<String>> chains = new ArrayList<>();
        for (String a : names) {
            chains.add(List.of(a));
            for (String b : names) {
                chains.add(List.of(a, b));
                for (String c : names) {
                    chains.add(List.of(a, b, c));
                }
            }
        }
        return chains.stream();
    }

    @ParameterizedTest
    @MethodSource("effectChains")
    void everyStepReachesExactlyItsEffectAndTheCompletionReachesTheGateway(List<String> effects) {
        StepData step = new StepData("job", 0, "originals/job", effects, Map.of());
        for (int i = 0; i < effects.size(); i++) {
            List<Trigger> hop = EVENTING.matching(attributes(events.step(step)));
            assertThat(hop).as("triggers for step %d of %s", i, effects).hasSize(1);
            assertThat(hop.get(0).subscriber().service()).isEqualTo(effects.get(i));
            step = step.isLast() ? step : step.next("results/job/" + i);
        }
        List<Trigger> end = EVENTING.matching(attributes(events.completed("job", "results/job/x")));
        assertThat(end).hasSize(1);
        assertThat(end.get(0).subscriber().service()).isEqualTo("gateway");
        assertThat(end.get(0).subscriber().path()).isEqualTo("/jobFinished");
    }

    @Test
    void failuresAndDeadLettersEndAtTheGateway() {
        List<Trigger> failed = EVENTING.matching(attributes(events.failed("job", "broken")));
        assertThat(failed).singleElement().satisfies(t -> {
            assertThat(t.subscriber().service()).isEqualTo("gateway");
            assertThat(t.subscriber().path()).isEqualTo("/jobFinished");
        });
        assertThat(EVENTING.broker().delivery().deadLetterSink().service()).isEqualTo("gateway");
        assertThat(EVENTING.broker().delivery().deadLetterSink().path()).isEqualTo("/jobDeadLettered");
        assertThat(EVENTING.broker().delivery().retry()).isPositive();
    }

    @Test
    void everyEffectHasItsTriggerAndEveryTriggerAnEffectOrTheGateway() {
        List<String> effects = ShippedEffects.names();
        for (String effect : effects) {
            assertThat(EVENTING.triggers())
                    .anyMatch(t -> t.subscriber().service().equals(effect)
                            && effect.equals(t.filter().get("effect")));
        }
        assertThat(EVENTING.subscriberServices()).allMatch(s -> s.equals("gateway") || effects.contains(s));
    }

    @Test
    void theRunnerReadsTheManifestsItWasBuiltWithAndTheTestEffectsTrigger() {
        EventingManifests read = EventingManifests.fromClasspath();
        assertThat(read.broker()).isEqualTo(EVENTING.broker());
        assertThat(read.sinkBindings()).isEqualTo(EVENTING.sinkBindings());
        assertThat(read.triggers()).containsAll(EVENTING.triggers());
        assertThat(read.triggers())
                .filteredOn(t -> !EVENTING.triggers().contains(t))
                .extracting(Trigger::name)
                .containsExactly("invert");
    }

    private static Map<String, String> attributes(CloudEvent event) {
        return LocalBroker.attributes(event);
    }
}
