package io.reelflow.video;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The ordered feed of what happened to a video: progress streaming and the audit trail. Appends
 * join the caller's transaction.
 */
@Component
public class JobEvents {

  private final JdbcClient jdbc;
  private final Json json;

  JobEvents(JdbcClient jdbc, Json json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Appends one event; {@code sceneId} and {@code detail} may be null. */
  public void append(UUID videoId, UUID sceneId, String type, String stage, Map<String, ?> detail) {
    jdbc.sql(
            "insert into job_events (video_id, scene_id, event_type, stage, detail)"
                + " values (?, ?, ?, ?, cast(? as jsonb))")
        .params(videoId, sceneId, type, stage, detail == null ? null : json.write(detail))
        .update();
  }

  /** Events of a video in the order they happened. */
  public List<Map<String, Object>> of(UUID videoId) {
    return jdbc.sql(
            "select id, scene_id, event_type, stage, detail::text as detail, created_at"
                + " from job_events where video_id = ? order by id")
        .param(videoId)
        .query()
        .listOfRows();
  }
}
