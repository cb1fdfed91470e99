package dev.imageflow.core.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.function.PodIdentity;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.web.CloudEventReplyHeaders;
import dev.imageflow.core.web.TraceparentFilter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The event contract over HTTP: the events, their mapping, their trace, who sends them. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    @Bean
    EventTracing eventTracing(Environment environment) {
        return new EventTracing(environment.getProperty("spring.application.name", "imageflow"));
    }

    @Bean
    PipelineEvents pipelineEvents(ObjectMapper objectMapper, Environment environment, EventTracing tracing) {
        String name = environment.getProperty("spring.application.name", "imageflow");
        return new PipelineEvents(objectMapper, URI.create("/imageflow/" + name), tracing);
    }

    @Bean
    CloudEventMessages cloudEventMessages(ObjectMapper objectMapper) {
        return new CloudEventMessages(objectMapper);
    }

    /**
     * Spring Cloud Function's mapper, configured as its auto-configuration does (a copy of Boot's ObjectMapper, lenient
     * about unknown and empty properties) but without the Joda-Time module that one registers unconditionally: Joda is
     * Java 5 bytecode, which an AOT cache cannot hold, so its 99 classes were read and verified from the jar at every
     * cold start for a module no event uses.
     */
    @Bean
    JsonMapper jsonMapper(ObjectMapper objectMapper) {
        return new JacksonMapper(objectMapper
                .copy()
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false));
    }

    @Bean
    PodIdentity podIdentity(ImageflowProperties properties, Environment environment) {
        String pod = properties.pod() != null ? properties.pod() : environment.getProperty("HOSTNAME", hostName());
        return new PodIdentity(pod, environment.getProperty("K_REVISION"));
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<CloudEventReplyHeaders> cloudEventReplyHeaders() {
        return new FilterRegistrationBean<>(new CloudEventReplyHeaders());
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<TraceparentFilter> traceparentFilter(EventTracing tracing) {
        return new FilterRegistrationBean<>(new TraceparentFilter(tracing));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
