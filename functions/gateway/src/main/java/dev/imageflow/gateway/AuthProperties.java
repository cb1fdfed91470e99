package dev.imageflow.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param token the bearer token that uploads and the job listing require ({@code Authorization: Bearer <token>});
 *              empty turns the check off, as on one machine. On Knative it comes from the optional Secret
 *              {@code imageflow-gateway-auth}. Surrounding white space is ignored, so a Secret made from a file
 *              with a trailing newline works
 */
@ConfigurationProperties("imageflow.gateway.auth")
public record AuthProperties(@DefaultValue("") String token) {

    public AuthProperties {
        token = token == null ? "" : token.strip();
    }

    boolean required() {
        return !token.isEmpty();
    }
}
