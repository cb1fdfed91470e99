package dev.imageflow.gateway;

import dev.imageflow.core.config.FunctionApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The user-facing service: uploads, results, job status, and the end of every job. */
@SpringBootApplication
@EnableConfigurationProperties(GatewayProperties.class)
@EnableScheduling
public class GatewayApplication {

    public static final String NAME = "gateway";

    public static void main(String[] args) {
        FunctionApplication.run(GatewayApplication.class, NAME, args);
    }
}
