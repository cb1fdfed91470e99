package dev.imageflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.JobRequest;
import dev.imageflow.core.event.MalformedEventException;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.observe.EventTracing;
import io.cloudevents.CloudEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The gateway's CloudEvent endpoints, each the subscriber of a Trigger in {@code eventing/}: the end of a job
 * ({@code /jobFinished}), events the Broker gave up on ({@code /jobDeadLettered}), and jobs requested by event
 * ({@code /jobRequested}).
 */
@Configuration(proxyBeanMethods = false)
public class JobEventFunctions {

    @Bean
    public Function<Message<byte[]>, Message<byte[]>> jobFinished(
            CloudEventMessages messages, JobFinisher finisher, EventTracing tracing) {
        return message -> {
            CloudEvent event = messages.read(message);
            return tracing.continueTrace(event, () -> {
                finisher.finished(event);
                return messages.none();
            });
        };
    }

    /**
     * An event the Broker could not deliver within its retries, with Knative's error extensions: the job it
     * belongs to ends as failed, with the subscriber's last answer as the reason.
     */
    @Bean
    public Function<Message<byte[]>, Message<byte[]>> jobDeadLettered(
            CloudEventMessages messages, JobFinisher finisher, ObjectMapper json, EventTracing tracing) {
        return message -> {
            CloudEvent event = messages.read(message);
            return tracing.continueTrace(event, () -> {
                finisher.deadLettered(event, jobId(event, json), deadLetterReason(event, json));
                return messages.none();
            });
        };
    }

    @Bean
    public Function<Message<byte[]>, Message<byte[]>> jobRequested(
            CloudEventMessages messages, PipelineEvents events, JobStarter starter, EventTracing tracing) {
        return message -> {
            CloudEvent event = messages.read(message);
            if (!EventTypes.JOB_REQUESTED.equals(event.getType())) {
                throw new MalformedEventException("expected " + EventTypes.JOB_REQUESTED + ", got " + event.getType());
            }
            return tracing.continueTrace(event, () -> {
                JobRequest request = events.read(event, JobRequest.class);
                String id = starter.request(request, event.getSource().toString(), event.getId());
                return messages.write(
                        events.accepted(id, Map.of("job", id, "view_url", "/image/" + id, "job_url", "/jobs/" + id)));
            });
        };
    }

    private static String jobId(CloudEvent event, ObjectMapper json) {
        Object extension = event.getExtension(EventTypes.JOB);
        if (extension != null) {
            return extension.toString();
        }
        if (event.getData() != null) {
            try {
                JsonNode job = json.readTree(event.getData().toBytes()).get("job");
                if (job != null && job.isTextual()) {
                    return job.asText();
                }
            } catch (java.io.IOException e) {
                // no job in the data either
            }
        }
        throw new MalformedEventException("the dead-lettered event names no job");
    }

    /** "blur step failed after retries: HTTP 500: <the function's error>". */
    static String deadLetterReason(CloudEvent event, ObjectMapper json) {
        Object effect = event.getExtension(EventTypes.EFFECT);
        Object code = event.getExtension(EventTypes.KNATIVE_ERROR_CODE);
        Object data = event.getExtension(EventTypes.KNATIVE_ERROR_DATA);
        StringBuilder reason = new StringBuilder(effect != null ? effect + " step" : event.getType());
        reason.append(" could not be delivered");
        if (code != null) {
            reason.append(": HTTP ").append(code);
        }
        if (data != null) {
            reason.append(": ").append(errorText(data.toString(), json));
        }
        return reason.toString();
    }

    /** Knative puts the subscriber's answer in knativeerrordata, base64-encoded in recent releases. */
    private static String errorText(String data, ObjectMapper json) {
        String text = data;
        try {
            byte[] decoded = Base64.getDecoder().decode(data.trim());
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(decoded))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // plain text, as older releases sent it
        }
        try {
            JsonNode error = json.readTree(text).get("error");
            if (error != null && error.isTextual()) {
                return error.asText();
            }
        } catch (java.io.IOException e) {
            // not our JSON error body
        }
        return text;
    }
}
