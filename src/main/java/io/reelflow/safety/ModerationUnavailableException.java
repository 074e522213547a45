package io.reelflow.safety;

import io.reelflow.intake.ApiException;
import java.util.List;

/**
 * Moderation could not give a verdict (remote provider down, slow or answering nonsense) and the
 * failure policy is {@code closed}: the submission is refused for now. The API answers 503 with
 * code {@code moderation_unavailable}; the client may retry.
 */
public class ModerationUnavailableException extends ApiException {

  public ModerationUnavailableException(String message) {
    super(503, "moderation_unavailable", "Moderation unavailable", message, List.of());
  }
}
