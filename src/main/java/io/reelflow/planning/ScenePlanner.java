package io.reelflow.planning;

import io.reelflow.video.PlannedScene;
import io.reelflow.video.VideoOptions;
import java.util.List;

/** Splits a prompt into scenes whose durations add up exactly to the requested duration. */
public interface ScenePlanner {

  /** Plans the video; the same prompt and options always give the same plan. Thread-safe. */
  List<PlannedScene> plan(String prompt, VideoOptions options);
}
