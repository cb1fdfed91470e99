package dev.imageflow.core.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of a {@link EventTypes#JOB_REQUESTED} event: run {@code effects} on the object {@code key} that is
 * already in the bucket.
 *
 * <p>Read as people write it by hand or with {@code kn event send}: {@code effects} as a list or as
 * {@code "bw,blur"}; {@code params} with string or number values, either flat ({@code "thumbnail.size": "128"}) or
 * nested as kn's dotted {@code --field params.thumbnail.size=128} makes them ({@code {"thumbnail": {"size": 128}}}).
 */
public record JobRequest(String key, List<String> effects, Map<String, String> params) {

    public JobRequest {
        params = params == null ? Map.of() : params;
    }

    @JsonCreator
    static JobRequest read(
            @JsonProperty("key") String key,
            @JsonProperty("effects") JsonNode effects,
            @JsonProperty("params") JsonNode params) {
        return new JobRequest(key, effects(effects), params(params));
    }

    private static List<String> effects(JsonNode effects) {
        if (effects == null || effects.isNull()) {
            return null;
        }
        if (effects.isTextual()) {
            return Arrays.stream(effects.asText().split(",")).map(String::trim).toList();
        }
        if (!effects.isArray()) {
            throw new IllegalArgumentException("effects must be a list of names or a string such as \"bw,blur\"");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode effect : effects) {
            if (!effect.isTextual()) {
                throw new IllegalArgumentException("effects must be names, got " + effect);
            }
            names.add(effect.asText());
        }
        return names;
    }

    private static Map<String, String> params(JsonNode params) {
        Map<String, String> flat = new LinkedHashMap<>();
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw new IllegalArgumentException("params must be an object such as {\"blur.sigma\": 8}");
            }
            flatten("", params, flat);
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(name + ".", value, flat);
            } else if (value.isValueNode() && !value.isNull()) {
                flat.put(name, value.asText());
            } else {
                throw new IllegalArgumentException("parameter " + name + " must be a string or a number");
            }
        }
    }
}
