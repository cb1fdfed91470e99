package dev.imageflow.core.effect;

/** A numeric effect parameter with its accepted range and the value used when the request leaves it out. */
public record ParamSpec(String name, double min, double max, double defaultValue, String description) {

    public double parse(String effect, String raw) {
        double value;
        try {
            value = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(effect + "." + name + " must be a number, got '" + raw + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new InvalidRequestException(
                    effect + "." + name + " must be between " + format(min) + " and " + format(max) + ", got " + raw);
        }
        return value;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
