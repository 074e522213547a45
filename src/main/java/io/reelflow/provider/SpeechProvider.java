package io.reelflow.provider;

import io.reelflow.video.SceneJob;
import java.nio.file.Path;

/** Speaks a scene's audio script. */
public interface SpeechProvider {

  /** Name stored on the assets. */
  String name();

  /**
   * Synthesises the scene's voice-over into {@code workDir}. Blocking; thread-safe.
   *
   * @throws io.reelflow.video.TransientStageException when a retry may succeed
   * @throws io.reelflow.video.PermanentStageException when it cannot
   */
  RenderedMedia speak(SceneJob scene, Path workDir);
}
