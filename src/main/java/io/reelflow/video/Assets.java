package io.reelflow.video;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code assets} table: where every stored byte of a video lives, and what it cost to make. */
@Component
public class Assets {

  /** The asset types of a scene's visual: a clip or a still, the clip preferred when a scene has both. */
  public static final java.util.List<String> VISUAL_TYPES = java.util.List.of("video", "image");

  /** A stored object to record; {@code sceneId} is null for video-level assets. */
  public record Asset(
      UUID videoId,
      UUID sceneId,
      String type,
      String storageKey,
      String contentType,
      long bytes,
      Integer durationMs,
      String provider,
      Integer providerLatencyMs,
      String sha256) {

    /** An asset whose checksum is not kept. */
    public Asset(UUID videoId, UUID sceneId, String type, String storageKey, String contentType, long bytes,
        Integer durationMs, String provider, Integer providerLatencyMs) {
      this(videoId, sceneId, type, storageKey, contentType, bytes, durationMs, provider, providerLatencyMs, null);
    }
  }

  private final JdbcClient jdbc;

  Assets(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records an asset; idempotent per (video, scene, type): a re-render replaces the row.
   */
  public void record(Asset a) {
    jdbc.sql(
            """
            insert into assets (id, video_id, scene_id, asset_type, storage_key, content_type, bytes,
                                duration_ms, provider, provider_latency_ms, sha256)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (video_id, coalesce(scene_id, '00000000-0000-0000-0000-000000000000'::uuid), asset_type)
            do update set storage_key = excluded.storage_key, content_type = excluded.content_type,
                          bytes = excluded.bytes, duration_ms = excluded.duration_ms,
                          provider = excluded.provider, provider_latency_ms = excluded.provider_latency_ms,
                          sha256 = excluded.sha256
            """)
        .params(UUID.randomUUID(), a.videoId(), a.sceneId(), a.type(), a.storageKey(),
            a.contentType(), a.bytes(), a.durationMs(), a.provider(), a.providerLatencyMs(), a.sha256())
        .update();
  }

  private static final String SELECT = "select video_id, scene_id, asset_type, storage_key, content_type, bytes,"
      + " duration_ms, provider, provider_latency_ms from assets";

  /** One asset of a video ({@code sceneId} null) or of a scene, if recorded. */
  public java.util.Optional<Asset> find(UUID videoId, UUID sceneId, String type) {
    return jdbc.sql(SELECT + " where video_id = ? and asset_type = ? and scene_id is not distinct from cast(? as uuid)")
        .params(videoId, type, sceneId)
        .query(Assets::asset)
        .optional();
  }

  private static Asset asset(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Asset(rs.getObject("video_id", UUID.class), rs.getObject("scene_id", UUID.class),
        rs.getString("asset_type"), rs.getString("storage_key"), rs.getString("content_type"),
        rs.getLong("bytes"), (Integer) rs.getObject("duration_ms"), rs.getString("provider"),
        (Integer) rs.getObject("provider_latency_ms"));
  }

  /** A scene's visual: its clip ({@code video}) or, from a provider of stills, its picture ({@code image}). */
  public java.util.Optional<Asset> visualOf(UUID videoId, UUID sceneId) {
    String[] types = VISUAL_TYPES.toArray(String[]::new);
    return jdbc.sql(SELECT + " where video_id = ? and scene_id = ? and asset_type = any(?)"
            + " order by array_position(?, asset_type) limit 1")
        .params(videoId, sceneId, types, types)
        .query(Assets::asset)
        .optional();
  }

  /** The storage key of one scene asset. */
  public String keyOf(UUID sceneId, String type) {
    return jdbc.sql("select storage_key from assets where scene_id = ? and asset_type = ?")
        .params(sceneId, type)
        .query(String.class)
        .single();
  }
}
