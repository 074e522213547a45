package io.reelflow.video;

import java.util.UUID;

/**
 * Queue payload naming one scene ({@code scene.generate}, {@code scene.done}). The worker reads
 * everything else from the scene row: the message is a hint, the row is the truth.
 */
public record SceneMessage(UUID videoId, UUID sceneId, int sceneCount) {}
