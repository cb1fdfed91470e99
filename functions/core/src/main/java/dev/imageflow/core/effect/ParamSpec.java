package dev.imageflow.core.effect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A numeric effect parameter as the contract knows it: its accepted range, whether only whole numbers are, and the
 * value used when a request leaves it out.
 */
@JsonPropertyOrder({"name", "type", "min", "max", "default", "description"})
public record ParamSpec(
        String name,
        @JsonIgnore boolean whole,
        double min,
        double max,
        @JsonProperty("default") double defaultValue,
        String description) {

    /** The type {@code GET /effects} shows, as JSON Schema names it. */
    @JsonProperty("type")
    public String type() {
        return whole ? "integer" : "number";
    }

    /**
     * @param owner what the value was given for, e.g. {@code blur} or step {@code 2}, for the error message
     * @return the value as the record component takes it: an {@link Integer} or a {@link Double}
     * @throws InvalidRequestException when it is not a number, not whole where it must be, or out of range
     */
    public Object parse(String owner, String raw) {
        String label = owner + "." + name;
        double value;
        try {
            value = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(label + " must be a number, got '" + raw + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new InvalidRequestException(
                    label + " must be between " + format(min) + " and " + format(max) + ", got " + raw.trim());
        }
        if (whole) {
            if (value != Math.rint(value)) {
                throw new InvalidRequestException(label + " must be a whole number, got " + raw.trim());
            }
            return (int) value;
        }
        return value;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
