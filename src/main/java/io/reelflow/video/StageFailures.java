package io.reelflow.video;

import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns an exception that ended a stage into a state a user can read: the scene (when there is
 * one) and the video become failed with a stable code. Called by the shared route configuration
 * in {@code routes/error-handling.camel.yaml}; idempotent.
 */
@Component("stageFailures")
public class StageFailures {

  private static final Logger log = LoggerFactory.getLogger(StageFailures.class);

  private final Videos videos;
  private final Scenes scenes;

  StageFailures(Videos videos, Scenes scenes) {
    this.videos = videos;
    this.scenes = scenes;
  }

  /** Fails the scene and video named by the exchange's headers with the caught exception. */
  public void record(
      @Header("videoId") UUID videoId,
      @Header("sceneId") UUID sceneId,
      @Header("stage") String stage,
      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught) {
    Throwable cause = stageCause(caught);
    String code = codeOf(cause);
    String message = cause == null ? "unknown failure" : cause.getMessage();
    log.warn("stage {} failed for video {} scene {}: {} {}", stage, videoId, sceneId, code, message);
    if (sceneId != null) {
      scenes.fail(sceneId, code, message);
    }
    if (videoId != null && cause instanceof SceneFailure scene) {
      videos.fail(videoId, stage, code, message, scene.retryable(),
          new Videos.FailureOrigin(scene.sceneSequence(), scene.provider(), scene.providerCode()));
    } else if (videoId != null) {
      videos.fail(videoId, stage == null ? "unknown" : stage, code, message,
          !(cause instanceof PermanentStageException));
    }
  }

  /** The stage exception inside wrappers (a parallel multicast wraps its branch's failure). */
  static Throwable stageCause(Throwable caught) {
    for (Throwable t = caught; t != null; t = t.getCause()) {
      if (t instanceof PermanentStageException || t instanceof TransientStageException) {
        return t;
      }
    }
    return caught;
  }

  static String codeOf(Throwable cause) {
    if (cause instanceof PermanentStageException p) {
      return p.code();
    }
    if (cause instanceof TransientStageException t) {
      return t.code();
    }
    return "internal_error";
  }
}
