package io.reelflow.intake;

import io.reelflow.generation.SceneQueues;
import io.reelflow.intake.ApiModel.SceneRetry;
import io.reelflow.video.Scenes;
import io.reelflow.video.Video;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * {@code POST /v1/videos/{id}/scenes/{sequence}/retry}: a failed video runs its failed scene (and
 * any other failed one) again, keeps every succeeded scene, and is composed when all are done.
 */
@Component("sceneRetries")
public class SceneRetries {

  private final VideoViews views;
  private final Scenes scenes;
  private final SceneQueues queues;

  SceneRetries(VideoViews views, Scenes scenes, SceneQueues queues) {
    this.views = views;
    this.scenes = scenes;
    this.queues = queues;
  }

  /**
   * Queues the failed scenes of one of the caller's failed videos again.
   *
   * @throws ApiException 404 for another user's or an unknown video, 400 for a sequence that is
   *     not a number, 409 {@code not_retryable} unless the video failed and that scene failed
   */
  public SceneRetry retry(@ExchangeProperty("caller") Caller caller, @Header("id") String id,
      @Header("sequence") String sequence) {
    Video video = views.owned(caller, id);
    int n = sequence(sequence);
    List<Integer> retried = scenes.retryFailed(video.id(), n, queues.ofTier(video.tier()));
    if (retried.isEmpty()) {
      throw ApiException.conflict("not_retryable", "video " + video.id() + " is " + video.status().dbName()
          + "; only a failed scene of a failed video can be retried");
    }
    return new SceneRetry(video.id(), "generating", retried);
  }

  /** The {@code {sequence}} of a scene path; 400 when it is not a number. */
  static int sequence(String sequence) {
    try {
      return Integer.parseInt(sequence);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("sequence", "a scene's sequence number, from 0");
    }
  }
}
