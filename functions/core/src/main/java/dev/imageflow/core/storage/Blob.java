package dev.imageflow.core.storage;

/** An object's bytes with the content type it was stored with. */
public record Blob(byte[] bytes, String contentType) {}
