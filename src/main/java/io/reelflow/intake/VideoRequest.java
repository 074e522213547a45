package io.reelflow.intake;

import io.reelflow.video.Delivery;
import io.reelflow.video.Shot;
import io.reelflow.video.VideoOptions;
import java.util.ArrayList;
import java.util.List;

/** A validated {@code POST /v1/videos} body. */
public record VideoRequest(String prompt, VideoOptions options, Delivery delivery) {

  /** What moderation reads: the prompt and every text of the user's shot list, one per line. */
  public String moderatedText() {
    if (options.scenes() == null) {
      return prompt;
    }
    List<String> lines = new ArrayList<>(List.of(prompt));
    for (Shot shot : options.scenes()) {
      if (shot.headline() != null) {
        lines.add(shot.headline());
      }
      lines.add(shot.visualPrompt());
      lines.add(shot.audioScript());
    }
    return String.join("\n", lines);
  }
}
