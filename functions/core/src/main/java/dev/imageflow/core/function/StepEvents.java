package dev.imageflow.core.function;

import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.observe.EventTracing;

/** What a step function needs to read its event and write its reply: the contract, the HTTP mapping, the trace. */
public record StepEvents(PipelineEvents events, CloudEventMessages messages, EventTracing tracing) {}
