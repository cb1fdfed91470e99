package dev.imageflow.local;

import java.util.List;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The one-machine runner is ready only when every Service its Triggers deliver to is registered with the local
 * Broker: an upload accepted before that would be routed to a function that is not there yet. Part of the
 * gateway's health and readiness, so "healthy" means "an upload now will be processed now".
 */
public class SubscribersHealth implements HealthIndicator {

    private final LocalBroker broker;

    public SubscribersHealth(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public Health health() {
        List<String> missing = broker.unregisteredSubscribers();
        return missing.isEmpty()
                ? Health.up().build()
                : Health.down().withDetail("starting", missing).build();
    }
}
