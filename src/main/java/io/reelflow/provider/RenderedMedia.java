package io.reelflow.provider;

import java.nio.file.Path;

/**
 * Media a provider produced for a scene, as a local work file to upload and then delete.
 *
 * @param file the work file
 * @param assetType {@code video}, {@code image}, {@code speech} or {@code music}
 * @param contentType MIME type of the file
 * @param durationMs media duration
 * @param provider name of the provider that made it
 * @param latencyMs how long the provider took
 */
public record RenderedMedia(
    Path file, String assetType, String contentType, int durationMs, String provider, long latencyMs) {}
