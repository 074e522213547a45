package io.reelflow.video;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code videos} table and its state machine. Every change is a compare-and-set on the
 * current status in one transaction with its {@code job_events} row and, where work must follow,
 * its outbox row; a refused change returns false and changes nothing.
 */
@Component
public class Videos {

  /** Queue that receives a video to plan. */
  public static final String PLAN_QUEUE = "video.plan";

  /** Queue that receives a video event to notify about. */
  public static final String NOTIFY_QUEUE = "notify.send";

  private static final String COLUMNS =
      "id, user_id, tier, original_prompt, options::text as options, delivery::text as delivery, status,"
          + " scene_count, final_video_key, thumbnail_key, cached_from, error_code, error_message,"
          + " error_stage, error_retryable, error_scene, error_provider, error_provider_code, cost_estimate,"
          + " created_at, updated_at, completed_at, version";

  private static final String UNFINISHED = "('queued', 'planning', 'generating', 'composing')";

  private final JdbcClient jdbc;
  private final JobEvents events;
  private final Outbox outbox;
  private final Json json;
  private final MeterRegistry meters;
  private final Versions versions;

  Videos(JdbcClient jdbc, JobEvents events, Outbox outbox, Json json, MeterRegistry meters, Versions versions) {
    this.jdbc = jdbc;
    this.events = events;
    this.outbox = outbox;
    this.json = json;
    this.meters = meters;
    this.versions = versions;
  }

  /**
   * Where a video was before a change, and since when: the stage the change ends; its version
   * then, and the edits waiting for the next version.
   */
  private record Stage(String status, java.time.Instant since, int version, String pendingChanges) {

    /** True while an edit of a composed video runs: its outcome is the user's own doing, not news to send. */
    boolean editing() {
      return version > 0;
    }
  }

  /**
   * Updates the video with {@code set} where {@code condition} holds (columns of the row as
   * {@code v.}), in one statement that also returns the stage it left.
   *
   * @return the stage left; empty when the condition did not hold (nothing changed)
   */
  private Optional<Stage> move(String set, String condition, Object... params) {
    return jdbc.sql("update videos v set " + set + " from videos old where old.id = v.id and " + condition
            + " returning old.status, old.updated_at, old.version, old.pending_changes::text as pending_changes")
        .params(params)
        .query((rs, n) -> new Stage(rs.getString("status"), rs.getTimestamp("updated_at").toInstant(),
            rs.getInt("version"), rs.getString("pending_changes")))
        .optional();
  }

  /**
   * Records how long the video spent in the stage it just left ({@code reelflow.video.stage}, by
   * stage and the status it moved to), for the per-stage latency histograms.
   */
  private void timeStage(Stage left, VideoStatus to) {
    Timer.builder("reelflow.video.stage")
        .description("time a video spent in a stage, by the status it moved to")
        .tags("stage", left.status(), "outcome", to.dbName())
        .publishPercentileHistogram()
        .register(meters)
        .record(java.time.Duration.between(left.since(), java.time.Instant.now()));
  }

  /**
   * Creates a queued video with its cost estimate (may be null) and hands it to planning through
   * the outbox: the row, its first event ({@code video.queued}, number 1) and the outbox entry in
   * one statement.
   */
  @Transactional
  public Video create(String userId, String tier, String prompt, String promptHash, VideoOptions options,
      Delivery delivery, java.math.BigDecimal costEstimate) {
    NewVideo video = new NewVideo(UUID.randomUUID(), userId, tier, prompt, promptHash, options, delivery, costEstimate);
    Video created = jdbc.sql("with one as (select * from unnest(" + NEW_VIDEO_ARRAYS + ") as q(" + NEW_VIDEO_COLUMNS
            + ")), " + queueFrom("one") + " select * from v")
        .paramSource(newVideoParameters(List.of(video)))
        .query(this::map)
        .single();
    queued();
    return created;
  }

  /** A video to queue: what the rows of {@link #queueFrom}'s source carry. */
  public record NewVideo(UUID id, String userId, String tier, String prompt, String promptHash, VideoOptions options,
      Delivery delivery, java.math.BigDecimal costEstimate) {}

  /** The columns of {@link #queueFrom}'s source, as {@link #NEW_VIDEO_ARRAYS} gives them. */
  public static final String NEW_VIDEO_COLUMNS =
      "id, user_id, tier, prompt, prompt_hash, options, delivery, cost_estimate, plan_message";

  /**
   * The arrays of {@link #newVideoParameters}, one element a video, as arguments of {@code unnest}
   * whose columns are {@link #NEW_VIDEO_COLUMNS}.
   */
  public static final String NEW_VIDEO_ARRAYS = "cast(:ids as uuid[]), cast(:userIds as text[]), cast(:tiers as text[]),"
      + " cast(:prompts as text[]), cast(:promptHashes as text[]), cast(:optionsJson as text[]),"
      + " cast(:deliveries as text[]), cast(:costEstimates as numeric[]), cast(:planMessages as text[])";

  /**
   * The common table expressions that queue a new video for each row of {@code source}, a relation
   * named in the same statement with the columns {@link #NEW_VIDEO_COLUMNS} (and any others):
   * {@code v}, the videos (returning the columns {@link #map} reads), {@code e}, each one's first
   * event ({@code video.queued}, number 1), and {@code o}, each one's {@code video.plan} outbox
   * entry. For a statement that decides in SQL which to create (the admission of a batch of
   * submissions); its named parameters come from {@link #newVideoParameters}, and a created video
   * must be followed by {@link #queued} in the same transaction.
   */
  public static String queueFrom(String source) {
    return """
        v as (insert into videos (id, user_id, tier, original_prompt, prompt_hash, options, delivery, status,
                                  cost_estimate, event_seq)
              select id, user_id, tier, prompt, prompt_hash, cast(options as jsonb), cast(delivery as jsonb),
                     'queued', cost_estimate, 1 from %1$s
              returning %2$s),
        e as (%3$s select id, 1, null, 'video.queued', 'intake', null, clock_timestamp() from v),
        o as (%4$s select s.id, :planQueue, cast(s.plan_message as jsonb) from v join %1$s s on s.id = v.id)"""
        .formatted(source, COLUMNS, JobEvents.INSERT, Outbox.INSERT);
  }

  /** The named parameters of {@link #NEW_VIDEO_ARRAYS} and {@link #queueFrom}: one array element a video. */
  public MapSqlParameterSource newVideoParameters(List<NewVideo> videos) {
    return new MapSqlParameterSource()
        .addValue("ids", videos.stream().map(NewVideo::id).toArray(UUID[]::new))
        .addValue("userIds", videos.stream().map(NewVideo::userId).toArray(String[]::new))
        .addValue("tiers", videos.stream().map(NewVideo::tier).toArray(String[]::new))
        .addValue("prompts", videos.stream().map(NewVideo::prompt).toArray(String[]::new))
        .addValue("promptHashes", videos.stream().map(NewVideo::promptHash).toArray(String[]::new))
        .addValue("optionsJson", videos.stream().map(v -> json.write(v.options())).toArray(String[]::new))
        .addValue("deliveries", videos.stream().map(v -> json.write(v.delivery())).toArray(String[]::new))
        .addValue("costEstimates", videos.stream()
            .map(v -> v.costEstimate() == null ? null : v.costEstimate().toPlainString()).toArray(String[]::new))
        .addValue("planMessages", videos.stream().map(v -> json.write(new VideoMessage(v.id()))).toArray(String[]::new))
        .addValue("planQueue", PLAN_QUEUE);
  }

  /** A video was queued in the current transaction: its planning message leaves when it commits. */
  public void queued() {
    outbox.enqueued();
  }

  /** The columns {@link #map} reads, as a select list over {@code videos}. */
  public static String columns() {
    return COLUMNS;
  }

  public Optional<Video> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from videos where id = ?")
        .param(id)
        .query(this::map)
        .optional();
  }

  /** The video if it belongs to {@code userId}; another user's video is simply absent. */
  public Optional<Video> findOwned(UUID id, String userId) {
    return find(id).filter(v -> v.userId().equals(userId));
  }

  /**
   * Moves a video from {@code from} to {@code to}, recording {@code eventType} for {@code stage}.
   *
   * @return false when the video is not in {@code from} (a duplicate or late message)
   */
  @Transactional
  public boolean transition(UUID id, VideoStatus from, VideoStatus to, String eventType, String stage) {
    Optional<Stage> left = move("status = ?, updated_at = now()", "v.id = ? and v.status = ?", to.dbName(), id,
        from.dbName());
    left.ifPresent(l -> {
      events.append(id, null, eventType, stage, Map.of("from", from.dbName(), "to", to.dbName()));
      timeStage(l, to);
    });
    return left.isPresent();
  }

  /**
   * Starts planning a queued video and queues its {@code video.started} notification (sent only
   * to users who asked for it), in one transaction.
   *
   * @return false when the video is not queued (a duplicate or late message)
   */
  @Transactional
  public boolean startPlanning(UUID id) {
    boolean moved = transition(id, VideoStatus.QUEUED, VideoStatus.PLANNING, "video.planning", "planning");
    if (moved) {
      outbox.enqueue(id, NOTIFY_QUEUE, new NotificationRequest(id, "video.started"));
    }
    return moved;
  }

  /** Queue that receives a video whose scenes are all done. */
  public static final String COMPOSE_QUEUE = "video.compose";

  /**
   * Opens the barrier: moves a generating video to composing and queues its composition, once.
   *
   * @return false when the video is not generating (a late or duplicate completion)
   */
  @Transactional
  public boolean startComposition(UUID id) {
    boolean moved = transition(id, VideoStatus.GENERATING, VideoStatus.COMPOSING, "video.composing", "barrier");
    if (moved) {
      outbox.enqueue(id, COMPOSE_QUEUE, new VideoMessage(id));
    }
    return moved;
  }

  /**
   * Completes a planning video from the semantic cache: succeeded at once with {@code cached_from}
   * and its own copies of the source's media, no scenes, and its notification queued.
   *
   * @return false when the video is not planning (a duplicate message)
   */
  @Transactional
  public boolean succeedFromCache(UUID id, UUID source, double similarity, String finalKey, String thumbnailKey) {
    Optional<Stage> left = move("status = 'succeeded', cached_from = ?, final_video_key = ?, thumbnail_key = ?,"
        + " scene_count = 0, version = 1, updated_at = now(), completed_at = now()",
        "v.id = ? and v.status = 'planning'", source, finalKey, thumbnailKey, id);
    left.ifPresent(l -> {
      jdbc.sql("""
              insert into video_versions (video_id, version, final_key, final_bytes, thumbnail_key, thumbnail_bytes,
                                          duration_ms, changes)
              select f.video_id, 1, f.storage_key, f.bytes, t.storage_key, t.bytes, f.duration_ms, cast(? as jsonb)
                from assets f left join assets t on t.video_id = f.video_id and t.scene_id is null
                                                and t.asset_type = 'thumbnail'
               where f.video_id = ? and f.scene_id is null and f.asset_type = 'final'
              on conflict (video_id, version) do nothing""")
          .params(json.write(List.of(Map.of("action", "cached", "from", source.toString()))), id)
          .update();
      events.append(id, null, "video.cache_hit", "planning",
          Map.of("cached_from", source.toString(), "similarity", Math.round(similarity * 10000) / 10000.0));
      events.append(id, null, "video.succeeded", "planning", Map.of("key", finalKey));
      timeStage(l, VideoStatus.SUCCEEDED);
      outbox.enqueue(id, NOTIFY_QUEUE, new NotificationRequest(id, "video.succeeded"));
    });
    return left.isPresent();
  }

  /**
   * Marks a composing video succeeded as its version {@code version} (the one after its current
   * version) with that version's files, records the version with the edits it carries, and queues
   * the notification of the first version. A later version is not notified: the user asked for
   * the edit and follows it on the video's feed, and {@code video.succeeded} was already sent once
   * per channel (see docs/architecture.md, "Scene editing and versions").
   *
   * @return false when the video is not composing that version (a duplicate or late composition)
   */
  @Transactional
  public boolean succeed(UUID id, int version, Versions.Files files) {
    Optional<Stage> left = move("status = 'succeeded', final_video_key = ?, thumbnail_key = ?, version = ?,"
            + " pending_changes = null, updated_at = now(), completed_at = now()",
        "v.id = ? and v.status = 'composing' and v.version = ?", files.finalKey(), files.thumbnailKey(), version, id,
        version - 1);
    left.ifPresent(l -> {
      versions.record(id, version, files, version == 1
          ? json.write(List.of(Map.of("action", "created"))) : l.pendingChanges());
      events.append(id, null, "video.succeeded", "composition", Map.of("key", files.finalKey(), "version", version));
      timeStage(l, VideoStatus.SUCCEEDED);
      if (!l.editing()) {
        outbox.enqueue(id, NOTIFY_QUEUE, new NotificationRequest(id, "video.succeeded"));
      }
    });
    return left.isPresent();
  }

  /**
   * Fails a video that is not yet in a terminal state, with a stable code and a readable reason.
   *
   * @return false when the video is unknown or already terminal
   */
  @Transactional
  public boolean fail(UUID id, String stage, String code, String message) {
    return fail(id, stage, code, message, false);
  }

  /**
   * Fails a video, saying whether submitting it again may succeed ({@code retryable}: a timeout or
   * an outage, not a refusal).
   */
  @Transactional
  public boolean fail(UUID id, String stage, String code, String message, boolean retryable) {
    return fail(id, stage, code, message, retryable, null);
  }

  /**
   * Where in generation a video broke: the scene, the provider that failed last and its code.
   */
  public record FailureOrigin(int scene, String provider, String providerCode) {}

  /** Fails a video because one of its scenes failed at a provider. */
  @Transactional
  public boolean fail(UUID id, String stage, String code, String message, boolean retryable, FailureOrigin origin) {
    // Its unfinished scenes stop (their workers lose the lease and cancel their provider jobs);
    // a scene retry runs them again.
    stopUnfinishedScenes(id);
    Optional<Stage> left = move("status = 'failed', error_code = ?, error_message = ?, error_stage = ?,"
        + " error_retryable = ?, error_scene = ?, error_provider = ?, error_provider_code = ?,"
        + " updated_at = now(), completed_at = now()", "v.id = ? and v.status in " + UNFINISHED,
        code, truncate(message), stage, retryable, origin == null ? null : origin.scene(),
        origin == null ? null : origin.provider(), origin == null ? null : origin.providerCode(), id);
    left.ifPresent(l -> {
      events.append(id, null, "video.failed", stage, Map.of("code", code));
      timeStage(l, VideoStatus.FAILED);
      if (!l.editing()) {
        outbox.enqueue(id, NOTIFY_QUEUE, new NotificationRequest(id, "video.failed"));
      }
    });
    return left.isPresent();
  }

  /**
   * Cancels an unfinished video: its pending and running scenes become canceled (no worker starts
   * them, and a worker that finishes one cannot mark it succeeded), the video becomes canceled and
   * its notification is queued. Idempotent: canceling a canceled video changes nothing.
   *
   * <p>Scenes are updated before the video so that this transaction takes row locks in the same
   * order as a worker's (scene, then video), which cannot deadlock.
   *
   * @return false when the video was not unfinished
   */
  @Transactional
  public boolean cancel(UUID id) {
    stopUnfinishedScenes(id);
    Optional<Stage> left = move("status = 'canceled', updated_at = now(), completed_at = now()",
        "v.id = ? and v.status in " + UNFINISHED, id);
    left.ifPresent(l -> {
      events.append(id, null, "video.canceled", "intake", null);
      timeStage(l, VideoStatus.CANCELED);
      if (!l.editing()) {
        outbox.enqueue(id, NOTIFY_QUEUE, new NotificationRequest(id, "video.canceled"));
      }
    });
    return left.isPresent();
  }

  /**
   * Expires a finished video whose media retention removed: a succeeded one, or one whose last
   * edit failed or was canceled (it still had a version); its media keys are cleared.
   *
   * @return false when the video is not in one of those states (another instance expired it)
   */
  @Transactional
  public boolean expire(UUID id) {
    Optional<Stage> left = move("status = 'expired', final_video_key = null, thumbnail_key = null,"
            + " expires_at = now(), updated_at = now()",
        "v.id = ? and (v.status = 'succeeded' or (v.status in ('failed', 'canceled') and v.version > 0))", id);
    left.ifPresent(l -> {
      events.append(id, null, "video.expired", "housekeeping", Map.of("from", l.status(), "to", "expired"));
      timeStage(l, VideoStatus.EXPIRED);
    });
    return left.isPresent();
  }

  /**
   * Cancels the pending and running scenes of an unfinished video. Before the video's own update:
   * the lock order of a worker (scene, then video), which cannot deadlock.
   */
  private void stopUnfinishedScenes(UUID id) {
    jdbc.sql(
            "update scenes set status = 'canceled', finished_at = now(), lease_owner = null, lease_expires_at = null"
                + " where video_id = ? and status in ('pending', 'generating')"
                + " and exists (select 1 from videos where id = ? and status in " + UNFINISHED + ")")
        .params(id, id)
        .update();
  }

  /**
   * A video as the status API shows it, read in one statement: the row, and its scenes and assets
   * as JSON arrays (scene order).
   */
  public record Snapshot(Video video, String scenesJson, String assetsJson) {}

  /** The snapshot of {@code userId}'s video {@code id}; another user's video is absent. */
  public Optional<Snapshot> snapshot(UUID id, String userId) {
    return jdbc.sql("select " + COLUMNS + """
            , (select coalesce(json_agg(json_build_object('id', s.id, 'sequence_number', s.sequence_number,
                      'headline', s.headline, 'visual_prompt', s.visual_prompt, 'audio_script', s.audio_script,
                      'duration_ms', s.duration_ms, 'status', s.status, 'retry_count', s.retry_count,
                      'display_order', s.display_order, 'trim_in_ms', s.trim_in_ms, 'trim_out_ms', s.trim_out_ms,
                      'provider', s.provider, 'error_code', s.error_code, 'error_message', s.error_message)
                      order by s.display_order), '[]')
                 from scenes s where s.video_id = v.id)::text as scenes_json,
              (select coalesce(json_agg(json_build_object('scene_id', a.scene_id, 'asset_type', a.asset_type,
                      'content_type', a.content_type, 'bytes', a.bytes, 'duration_ms', a.duration_ms,
                      'provider', a.provider) order by a.asset_type), '[]')
                 from assets a where a.video_id = v.id)::text as assets_json
              from videos v where v.id = ? and v.user_id = ?""")
        .params(id, userId)
        .query((rs, n) -> new Snapshot(map(rs, n), rs.getString("scenes_json"), rs.getString("assets_json")))
        .optional();
  }

  /**
   * 1 + the queued videos submitted before one made at {@code createdAt}, counted up to
   * {@link #QUEUE_HORIZON} (a deeper position reads {@code QUEUE_HORIZON + 1}): a scan of at
   * most that many entries of the partial index {@code videos_queued_created}.
   */
  public int queuePosition(OffsetDateTime createdAt) {
    return 1 + jdbc.sql("select count(*)::int from (select 1 from videos where status = 'queued' and created_at < ?"
            + " limit ?) ahead")
        .params(createdAt, QUEUE_HORIZON)
        .query(Integer.class)
        .single();
  }

  /** Queue positions are counted exactly up to this; a deeper one reads as {@code QUEUE_HORIZON + 1}. */
  public static final int QUEUE_HORIZON = 1000;

  public static String truncate(String message) {
    if (message == null) {
      return null;
    }
    return message.length() <= 1000 ? message : message.substring(0, 1000);
  }

  /** The video on the current row of {@code rs}, which has the {@link #columns}. */
  public Video map(ResultSet rs, int row) throws SQLException {
    return new Video(
        rs.getObject("id", UUID.class),
        rs.getString("user_id"),
        rs.getString("tier"),
        rs.getString("original_prompt"),
        json.read(rs.getString("options"), VideoOptions.class),
        json.read(rs.getString("delivery"), Delivery.class),
        VideoStatus.of(rs.getString("status")),
        (Integer) rs.getObject("scene_count"),
        rs.getString("final_video_key"),
        rs.getString("thumbnail_key"),
        rs.getObject("cached_from", UUID.class),
        rs.getString("error_code"),
        rs.getString("error_message"),
        rs.getString("error_stage"),
        (Boolean) rs.getObject("error_retryable"),
        rs.getObject("error_scene") == null ? null : new FailureOrigin(rs.getInt("error_scene"),
            rs.getString("error_provider"), rs.getString("error_provider_code")),
        rs.getBigDecimal("cost_estimate"),
        rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class),
        rs.getObject("completed_at", OffsetDateTime.class),
        rs.getInt("version"));
  }
}
