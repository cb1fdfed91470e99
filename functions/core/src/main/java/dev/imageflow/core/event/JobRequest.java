package dev.imageflow.core.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The data of a {@link EventTypes#JOB_REQUESTED} event: run {@code effects} on the object {@code key} that is
 * already in the bucket.
 * <p>
 * Requests are typed by people with whatever tool they have, so the wire form is lenient: {@code effects} is a JSON
 * list or a comma-separated string ({@code "bw,blur"}), because {@code kn event send --field} cannot send a list;
 * {@code params} values may be strings, numbers or booleans, and nested objects are flattened to dotted names,
 * because {@code kn event send --field params.thumbnail.size=128} sends {@code {"params":{"thumbnail":{"size":128}}}}.
 */
public record JobRequest(String key, List<String> effects, Map<String, String> params) {

    public JobRequest {
        params = params == null ? Map.of() : params;
    }

    @JsonCreator
    static JobRequest fromJson(@JsonProperty("key") String key, @JsonProperty("effects") JsonNode effects,
            @JsonProperty("params") JsonNode params) {
        return new JobRequest(key, effects(effects), params(params));
    }

    private static List<String> effects(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return Arrays.stream(node.asText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("effects must be a list or a comma-separated string, got " + node);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException("each effect must be a name, got " + element);
            }
            names.add(element.asText());
        }
        return List.copyOf(names);
    }

    private static Map<String, String> params(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("params must be an object, got " + node);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", node, flat);
        return Map.copyOf(flat);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(name + ".", value, into);
            } else if (value.isValueNode() && !value.isNull()) {
                into.put(name, value.asText());
            } else {
                throw new IllegalArgumentException("param " + name + " must be a string, number or boolean, got "
                        + value);
            }
        }
    }
}
