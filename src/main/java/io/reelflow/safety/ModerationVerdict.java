package io.reelflow.safety;

/**
 * What moderation decided about one prompt.
 *
 * @param blocked true when the prompt must not be generated
 * @param category when blocked, one of {@code sexual_minors}, {@code sexual}, {@code
 *     real_person_likeness}, {@code graphic_violence}, {@code hate}, {@code self_harm}, {@code
 *     weapons_instructions}; null when allowed
 * @param score confidence in [0, 1]: 1 for a rule, the similarity for the embedding stage, the
 *     provider's category score for the remote one
 * @param source the stage that decided: {@code rules}, {@code embedding}, {@code remote} or
 *     {@code remote-unavailable}
 * @param reason short, human-readable why (the matched phrase, never the whole prompt)
 */
public record ModerationVerdict(boolean blocked, String category, double score, String source, String reason) {

  public static final String RULES = "rules";
  public static final String EMBEDDING = "embedding";
  public static final String REMOTE = "remote";
  public static final String REMOTE_UNAVAILABLE = "remote-unavailable";

  public ModerationVerdict {
    if (blocked == (category == null)) {
      throw new IllegalArgumentException("a blocked verdict has a category, an allowed one none");
    }
  }

  /** The prompt may be generated. */
  public static ModerationVerdict allowed(double score, String source, String reason) {
    return new ModerationVerdict(false, null, score, source, reason);
  }

  /** The prompt must not be generated, because of {@code category}. */
  public static ModerationVerdict blocked(String category, double score, String source, String reason) {
    return new ModerationVerdict(true, category, score, source, reason);
  }
}
