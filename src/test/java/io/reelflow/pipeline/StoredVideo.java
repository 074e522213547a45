package io.reelflow.pipeline;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A video row written straight into the table, as a test's fixture: no plan message is sent, so
 * no stage touches it. A pro-tier 5 s ad of {@code user} in {@code status}; a succeeded or failed
 * one is completed now. The withers set what a test needs besides.
 */
record StoredVideo(String user, String status, UUID cachedFrom, String delivery, String errorCode,
    String errorMessage) {

  /** The options a 5 s square 480p ad without music or captions is stored with. */
  static final String OPTIONS = "{\"mode\": \"ad\", \"cache\": \"auto\", \"music\": false, \"captions\": false,"
      + " \"resolution\": \"480p\", \"aspect_ratio\": \"1:1\", \"duration_seconds\": 5}";

  static StoredVideo of(String user, String status) {
    return new StoredVideo(user, status, null, null, null, null);
  }

  StoredVideo cachedFrom(UUID original) {
    return new StoredVideo(user, status, original, delivery, errorCode, errorMessage);
  }

  /** Where the video's notifications go: {@code delivery}'s JSON ({@code email}, {@code callback_url}, ...). */
  StoredVideo delivery(String json) {
    return new StoredVideo(user, status, cachedFrom, json, errorCode, errorMessage);
  }

  StoredVideo error(String code, String message) {
    return new StoredVideo(user, status, cachedFrom, delivery, code, message);
  }

  /** Inserts the row; returns its id. */
  UUID insert(JdbcClient jdbc) {
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into videos (id, user_id, tier, original_prompt, prompt_hash, options, delivery, status, cached_from,"
            + " error_code, error_message, completed_at) values (?, ?, 'pro', 'An ad for a harbour cafe', ?, cast(? as jsonb),"
            + " coalesce(cast(? as jsonb), '{}'), ?, ?, ?, ?, case when ? in ('succeeded', 'failed') then now() end)")
        .params(id, user, "hash-" + id, OPTIONS, delivery, status, cachedFrom, errorCode, errorMessage, status)
        .update();
    return id;
  }
}
