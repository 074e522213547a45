package io.reelflow.intake;

/** The authenticated user behind a request, and their tier. */
public record Caller(String userId, String tier) {}
