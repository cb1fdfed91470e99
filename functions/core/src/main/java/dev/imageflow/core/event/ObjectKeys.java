package dev.imageflow.core.event;

/**
 * Every object key is made here from server-made ids, never from a file name or any other user input, so no request
 * can reach or overwrite an object it did not create.
 */
public final class ObjectKeys {

    private ObjectKeys() {}

    public static String original(String job) {
        return "originals/" + job;
    }

    public static String result(String job, int step, String effect) {
        return "results/" + job + "/" + step + "-" + effect;
    }
}
