package io.reelflow.generation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Scene generation ({@code reelflow.generation.*}).
 *
 * @param slots scene consumers per instance: how many scenes render at once
 * @param leaseSeconds how long a claimed scene belongs to its worker before another may take it
 * @param workDirectory where scene work files live until they are uploaded
 */
@ConfigurationProperties("reelflow.generation")
public record GenerationSettings(int slots, int leaseSeconds, String workDirectory) {}
