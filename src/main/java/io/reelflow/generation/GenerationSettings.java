package io.reelflow.generation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Scene generation ({@code reelflow.generation.*}).
 *
 * @param workers scene consumers per instance: scenes taken off the queues at once, each waiting
 *     for its provider slots (the slots, not this, bound the calls to a provider)
 * @param leaseSeconds how long a claimed scene belongs to its worker without a sign of life
 *     before another may take it
 * @param workDirectory where scene work files live until they are uploaded
 * @param videoDeadline how long after submission a video may still be generating; past it, a
 *     scene stops retrying and the video fails with {@code timeout} (stage {@code generating})
 * @param visualsFirstWait how long a scene's voice-over and music wait at most for this instance's
 *     visuals in dispatch ({@link VisualsFirst}); zero turns the wait off
 */
@ConfigurationProperties("reelflow.generation")
public record GenerationSettings(int workers, int leaseSeconds, String workDirectory, Duration videoDeadline,
    Duration visualsFirstWait) {

  public GenerationSettings {
    videoDeadline = videoDeadline == null ? Duration.ofMinutes(30) : videoDeadline;
    visualsFirstWait = visualsFirstWait == null ? Duration.ofSeconds(1) : visualsFirstWait;
  }
}
