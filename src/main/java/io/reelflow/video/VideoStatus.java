package io.reelflow.video;

import java.util.Locale;

/**
 * Where a video is on its way from prompt to MP4. A terminal state changes again only when the
 * user asks: a scene retry moves a failed video back to generating, and an edit moves a video
 * with a version (succeeded, or failed or canceled during an earlier edit) back to generating or
 * composing.
 */
public enum VideoStatus {
  QUEUED,
  PLANNING,
  GENERATING,
  COMPOSING,
  SUCCEEDED,
  FAILED,
  CANCELED,
  EXPIRED;

  /** The name stored in {@code videos.status} and shown in the API. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELED || this == EXPIRED;
  }

  public static VideoStatus of(String dbName) {
    return valueOf(dbName.toUpperCase(Locale.ROOT));
  }
}
