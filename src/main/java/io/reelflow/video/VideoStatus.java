package io.reelflow.video;

import java.util.Locale;

/** Where a video is on its way from prompt to MP4. Terminal states never change again. */
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
