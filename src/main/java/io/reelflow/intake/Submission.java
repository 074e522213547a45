package io.reelflow.intake;

/**
 * The answer to a submission: {@code json} is the exact body sent, stored with an
 * {@code Idempotency-Key} so a replay repeats it byte for byte.
 *
 * @param replayed true when an earlier answer is repeated (same key, or a double click)
 */
public record Submission(int status, String location, String json, boolean replayed) {}
