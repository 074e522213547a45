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

  /**
   * Appends one event; {@code sceneId} and {@code detail} may be null. The event takes the
   * video's next sequence number under the video's row lock, held to the end of the caller's
   * transaction: events of one video become visible in sequence order, with no gaps, which is what
   * lets a progress stream resume from a number without losing an event. Nothing is written for
   * an unknown video.
   */
  public void append(UUID videoId, UUID sceneId, String type, String stage, Map<String, ?> detail) {
    jdbc.sql("with " + next("?") + " " + INSERT + " select next.id, next.event_seq, ?, ?, ?, cast(? as jsonb),"
            + " clock_timestamp() from next")
        .params(videoId, sceneId, type, stage, detail == null ? null : json.write(detail))
        .update();
  }

  /**
   * The video's next event number as a common table expression named {@code next} (columns id,
   * event_seq), for a statement that writes its event with {@link #INSERT}: the one rule by which
   * every event is numbered (the video row's lock, held to the end of the transaction).
   *
   * @param videoId SQL expression of the video's id
   */
  static String next(String videoId) {
    return "next as (update videos set event_seq = event_seq + 1 where id = " + videoId + " returning id, event_seq)";
  }

  /** The head of an event's insert; the rows follow as (video, seq, scene, type, stage, detail, time). */
  static final String INSERT = "insert into job_events (video_id, seq, scene_id, event_type, stage, detail, created_at)";

  /** A stored event, as streamed: {@code seq} is its position in the video's feed, from 1. */
  public record Event(int seq, UUID sceneId, String type, String stage, String detail, java.time.OffsetDateTime at) {}

  /** The feed's read: a video's events after a sequence number, in order, from {@code job_events_video_seq}. */
  public static final String AFTER = "select seq, scene_id, event_type, stage, detail::text as detail, created_at"
      + " from job_events where video_id = ? and seq > ? order by seq limit ?";

  /** Up to {@code limit} events of a video after sequence number {@code afterSeq}, in order. */
  public List<Event> after(UUID videoId, int afterSeq, int limit) {
    return jdbc.sql(AFTER)
        .params(videoId, afterSeq, limit)
        .query((rs, n) -> new Event(rs.getInt("seq"), rs.getObject("scene_id", UUID.class),
            rs.getString("event_type"), rs.getString("stage"), rs.getString("detail"),
            rs.getObject("created_at", java.time.OffsetDateTime.class)))
        .list();
  }

}
