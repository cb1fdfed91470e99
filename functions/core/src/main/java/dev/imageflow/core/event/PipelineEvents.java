package dev.imageflow.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.observe.EventTracing;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Builds the pipeline's CloudEvents and reads their JSON data, so every function speaks the contract in
 * {@link EventTypes} the same way.
 */
public class PipelineEvents {

    private final ObjectMapper json;
    private final URI source;
    private final EventTracing tracing;

    /**
     * @param source  this function's CloudEvent source, e.g. {@code /imageflow/blur}
     * @param tracing puts the current trace into every event built here
     */
    public PipelineEvents(ObjectMapper json, URI source, EventTracing tracing) {
        this.json = json;
        this.source = source;
        this.tracing = tracing;
    }

    public CloudEvent step(StepData data) {
        return builder(EventTypes.STEP, data.job(), data)
                .withExtension(EventTypes.EFFECT, data.effect())
                .build();
    }

    public CloudEvent completed(String job, String output) {
        return builder(EventTypes.JOB_COMPLETED, job, JobFinishedData.completed(job, output))
                .build();
    }

    public CloudEvent failed(String job, String error) {
        return builder(EventTypes.JOB_FAILED, job, JobFinishedData.failed(job, error))
                .build();
    }

    public CloudEvent accepted(String job, Object body) {
        return builder(EventTypes.JOB_ACCEPTED, job, body).build();
    }

    /**
     * Reads the event's JSON data as {@code type}.
     *
     * @throws MalformedEventException when the event has no data or the data is not that record
     */
    public <T> T read(CloudEvent event, Class<T> type) {
        if (event.getData() == null) {
            throw new MalformedEventException("event " + event.getType() + " has no data");
        }
        try {
            T value = json.readValue(event.getData().toBytes(), type);
            if (value == null) {
                throw new MalformedEventException("event " + event.getType() + " has null data");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(
                    "event data is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedEventException("event data is unreadable: " + e.getMessage(), e);
        }
    }

    private CloudEventBuilder builder(String type, String job, Object data) {
        try {
            CloudEventBuilder builder = CloudEventBuilder.v1()
                    .withId(UUID.randomUUID().toString())
                    .withSource(source)
                    .withType(type)
                    .withSubject(job)
                    .withTime(OffsetDateTime.now())
                    .withExtension(EventTypes.JOB, job)
                    .withDataContentType("application/json")
                    .withData(json.writeValueAsBytes(data));
            String traceparent = tracing.currentTraceparent();
            if (traceparent != null) {
                builder.withExtension(EventTracing.TRACEPARENT, traceparent);
            }
            return builder;
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + data, e);
        }
    }
}
