package io.reelflow.video;

/**
 * Where a video's scene messages go: the generation queue of its tier and the AMQP priority they
 * carry there (io.reelflow.generation.SceneQueues chooses both).
 */
public record SceneQueue(String name, int priority) {}
