package dev.imageflow.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.spring.messaging.CloudEventMessageConverter;
import java.util.Collection;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Reads the CloudEvent a Spring Cloud Function receives and writes the one it answers with, in binary mode as
 * Knative's Broker expects.
 *
 * <p>Functions take and return {@code Message<byte[]>} and convert here, rather than declaring {@code CloudEvent}
 * and leaving it to Spring Cloud Function's converters: those turn a structured event into a binary message whose
 * data is already a parsed map (which cloudevents-spring cannot read), hand the function a plain string when the
 * request is no CloudEvent at all, and fail on a function that has nothing to answer.
 */
public class CloudEventMessages {

    private final CloudEventMessageConverter converter = new CloudEventMessageConverter();
    private final ObjectMapper json;

    public CloudEventMessages(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @throws MalformedEventException when the message is not a CloudEvent in either mode
     */
    public CloudEvent read(Message<?> message) {
        Object payload = message.getPayload();
        if (payload instanceof Map<?, ?> || payload instanceof Collection<?>) {
            try {
                message = MessageBuilder.withPayload(json.writeValueAsBytes(payload))
                        .copyHeaders(message.getHeaders())
                        .build();
            } catch (JsonProcessingException e) {
                throw new MalformedEventException("event data cannot be read: " + e.getOriginalMessage(), e);
            }
        }
        try {
            CloudEvent event = (CloudEvent) converter.fromMessage(message, CloudEvent.class);
            if (event == null) {
                throw new MalformedEventException("the request is not a CloudEvent");
            }
            return event;
        } catch (RuntimeException e) {
            if (e instanceof MalformedEventException malformed) {
                throw malformed;
            }
            throw new MalformedEventException("the request is not a CloudEvent: " + e.getMessage(), e);
        }
    }

    /**
     * The reply: the event in binary mode. Its data content type goes in {@code Content-Type} as binary mode
     * requires; the converter names it {@code contentType}, which Spring Cloud Function's web layer would pass on as
     * a header of that name and leave the body labelled {@code application/octet-stream}.
     */
    @SuppressWarnings("unchecked")
    public Message<byte[]> write(CloudEvent event) {
        Message<byte[]> message = (Message<byte[]>) converter.toMessage(event, new MessageHeaders(Map.of()));
        if (event.getDataContentType() == null) {
            return message;
        }
        return MessageBuilder.fromMessage(message)
                .removeHeader(MessageHeaders.CONTENT_TYPE)
                .setHeader(HttpHeaders.CONTENT_TYPE, event.getDataContentType())
                .build();
    }

    /** No reply: an empty 2xx answer, which Knative takes as "delivered, nothing follows". */
    public Message<byte[]> none() {
        return MessageBuilder.withPayload(new byte[0]).build();
    }
}
