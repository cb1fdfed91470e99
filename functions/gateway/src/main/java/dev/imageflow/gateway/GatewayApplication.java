package dev.imageflow.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.imageflow.core.config.FunctionApplication;

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
