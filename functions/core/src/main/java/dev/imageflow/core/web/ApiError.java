package dev.imageflow.core.web;

/** The body of every error answer: a sentence for people and the status for programs. Never a stack trace. */
public record ApiError(int status, String error) {}
