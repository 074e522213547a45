package io.reelflow.provider;

import io.reelflow.video.SceneJob;
import java.nio.file.Path;

/** Makes the picture of a scene: a clip of exactly the scene's duration at the video's size. */
public interface VisualProvider {

  /** Name stored on the scene and its assets. */
  String name();

  /**
   * Renders the scene's visual into {@code workDir}. Blocking; safe to call from several threads.
   *
   * @throws io.reelflow.video.TransientStageException when a retry may succeed
   * @throws io.reelflow.video.PermanentStageException when it cannot
   */
  RenderedMedia render(SceneJob scene, Path workDir);
}
