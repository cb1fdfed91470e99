package dev.imageflow.core.config;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Says what to install when a function starts on a Java older than the one it is built and tuned for. The code runs
 * on 17, so the quick start still works on a machine with only the default JDK; but the AOT cache (JEP 483/514/515)
 * that gives the fast cold start, and the step speeds the README quotes, exist only on 25.
 */
public final class JavaRuntimeAdvice implements ApplicationListener<ApplicationStartedEvent> {

    static final int TUNED_FOR = 25;

    private static final Logger log = LoggerFactory.getLogger(JavaRuntimeAdvice.class);

    static Optional<String> advice(Runtime.Version running) {
        if (running.feature() >= TUNED_FOR) {
            return Optional.empty();
        }
        return Optional.of("running on Java " + running.feature() + "; imageflow is built for Java " + TUNED_FOR
                + " (AOT cache, faster start). Install a JDK " + TUNED_FOR + " (Temurin " + TUNED_FOR
                + ": apt-get install temurin-" + TUNED_FOR + "-jdk from the Adoptium repository, or sdk install java "
                + TUNED_FOR + "-tem); Maven finds it under /usr/lib/jvm, ~/.sdkman or JAVA" + TUNED_FOR
                + "_HOME by itself");
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        advice(Runtime.version()).ifPresent(log::warn);
    }
}
