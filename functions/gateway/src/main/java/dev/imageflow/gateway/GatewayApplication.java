package dev.imageflow.gateway;

import dev.imageflow.core.config.FunctionApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The user-facing service: uploads, results, job status, and the end of every job. */
@SpringBootApplication
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayApplication {

    public static final String NAME = "gateway";

    public static void main(String[] args) {
        FunctionApplication.run(GatewayApplication.class, NAME, args);
    }
}
