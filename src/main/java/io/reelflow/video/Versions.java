package io.reelflow.video;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code video_versions} table: one row per composition of a video, with the keys of its
 * final MP4, thumbnail, poster and subtitles and what changed since the version before. A row
 * names its objects, so garbage collection keeps them until retention retires the version.
 */
@Component
public class Versions {

  /**
   * The stored files of one version.
   *
   * @param durationMs the final video's length
   */
  public record Files(String finalKey, long finalBytes, String thumbnailKey, Long thumbnailBytes, String posterKey,
      String subtitlesKey, Integer durationMs) {}

  /**
   * One version as read.
   *
   * @param changes what changed since the version before, a JSON array of objects ({@code action},
   *     {@code scene}, {@code fields}, {@code order})
   * @param retired when retention removed its media; null while it can be downloaded
   */
  public record Version(int number, Files files, String changes, OffsetDateTime createdAt, OffsetDateTime retired) {}

  private static final String COLUMNS = "version, final_key, final_bytes, thumbnail_key, thumbnail_bytes, poster_key,"
      + " subtitles_key, duration_ms, changes::text as changes, created_at, purged_at";

  private final JdbcClient jdbc;

  Versions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Where a version's file lives: version 1 keeps the first composition's keys
   * ({@code videos/<id>/final.mp4}); version n ≥ 2 has its own folder ({@code videos/<id>/v<n>/}),
   * so no version ever overwrites another's objects.
   */
  public static String keyOf(UUID videoId, int version, String file) {
    return version <= 1 ? "videos/%s/%s".formatted(videoId, file) : "videos/%s/v%d/%s".formatted(videoId, version, file);
  }

  /** Records a version; a repeated call (a redelivered composition) changes nothing. Joins the caller's transaction. */
  void record(UUID videoId, int number, Files files, String changes) {
    jdbc.sql("insert into video_versions (video_id, version, final_key, final_bytes, thumbnail_key, thumbnail_bytes,"
            + " poster_key, subtitles_key, duration_ms, changes) values (?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))"
            + " on conflict (video_id, version) do nothing")
        .params(videoId, number, files.finalKey(), files.finalBytes(), files.thumbnailKey(), files.thumbnailBytes(),
            files.posterKey(), files.subtitlesKey(), files.durationMs(), changes == null ? "[]" : changes)
        .update();
  }

  /** Every version of a video, oldest first. */
  public List<Version> of(UUID videoId) {
    return jdbc.sql("select " + COLUMNS + " from video_versions where video_id = ? order by version")
        .param(videoId)
        .query((rs, n) -> map(rs))
        .list();
  }

  /** One version of a video, if it was ever made. */
  public Optional<Version> find(UUID videoId, int number) {
    return jdbc.sql("select " + COLUMNS + " from video_versions where video_id = ? and version = ?")
        .params(videoId, number)
        .query((rs, n) -> map(rs))
        .optional();
  }

  private static Version map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Version(rs.getInt("version"),
        new Files(rs.getString("final_key"), rs.getLong("final_bytes"), rs.getString("thumbnail_key"),
            (Long) rs.getObject("thumbnail_bytes"), rs.getString("poster_key"), rs.getString("subtitles_key"),
            (Integer) rs.getObject("duration_ms")),
        rs.getString("changes"), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("purged_at", OffsetDateTime.class));
  }
}
