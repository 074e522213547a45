package io.reelflow.generation;

/**
 * The worker no longer holds its scene (the video was canceled or failed, or the lease passed to
 * another worker) or is shutting down: it stops quietly and records nothing.
 */
public class SceneAbandoned extends RuntimeException {

  SceneAbandoned(String message) {
    super(message, null, false, false);
  }
}
