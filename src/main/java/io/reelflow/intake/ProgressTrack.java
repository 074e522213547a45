package io.reelflow.intake;

import io.reelflow.video.JobEvents.Event;
import io.reelflow.video.VideoStatus;
import java.util.Map;

/**
 * Follows a video's events to know its status and progress at each one, with the same rule as
 * the status document ({@link VideoViews#progress(VideoStatus, int, int)}), through scene retries
 * and edits, which run a finished video again.
 */
final class ProgressTrack {

  private static final Map<String, VideoStatus> STATUS_BY_EVENT = Map.of(
      "video.queued", VideoStatus.QUEUED,
      "video.planning", VideoStatus.PLANNING,
      "video.planned", VideoStatus.GENERATING,
      "video.composing", VideoStatus.COMPOSING,
      "video.succeeded", VideoStatus.SUCCEEDED,
      "video.failed", VideoStatus.FAILED,
      "video.canceled", VideoStatus.CANCELED,
      "video.expired", VideoStatus.EXPIRED);

  private VideoStatus status = VideoStatus.QUEUED;
  private int scenes;
  private int scenesDone;

  /** Applies one event; {@code detail} is the event's parsed detail (may be empty). */
  void apply(Event event, Map<String, Object> detail) {
    VideoStatus next = STATUS_BY_EVENT.get(event.type());
    if (next != null) {
      status = next;
    }
    if (event.type().equals("video.planned") && detail.get("scenes") instanceof Number n) {
      scenes = n.intValue();
    }
    if (event.type().equals("scene.succeeded")) {
      scenesDone++;
    }
    if (event.type().equals("video.retrying")) {
      status = VideoStatus.GENERATING;
    }
    if (event.type().equals("video.edited") && detail.get("status") instanceof String to) {
      // an edit runs the video again: the scenes it makes anew are no longer done
      status = VideoStatus.of(to);
      if (detail.get("regenerating") instanceof java.util.List<?> again) {
        scenesDone = Math.max(0, Math.min(scenesDone, scenes) - again.size());
      }
    }
  }

  /** Whether {@code event} runs a video that ended again (an edit, a scene retry). */
  static boolean reopens(Event event) {
    return event.type().equals("video.edited") || event.type().equals("video.retrying");
  }

  VideoStatus status() {
    return status;
  }

  int progress() {
    return VideoViews.progress(status, scenes, scenesDone);
  }
}
