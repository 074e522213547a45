package io.reelflow.ops;

import io.reelflow.generation.GenerationSettings;
import io.reelflow.storage.MediaStore;
import io.reelflow.storage.WorkDirectories;
import io.reelflow.video.JobEvents;
import io.reelflow.video.Videos;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Garbage collection and retention ({@code maintenance-collect-garbage}): the media of failed and
 * canceled videos once their grace period is over (not of one with a version, whose edit failed or
 * was canceled: it keeps its versions until retention); finished videos past their tier's
 * retention, which become {@code expired} (media deleted, metadata kept); earlier versions past
 * retention, retired; objects in storage that no row names (an upload whose row was never written,
 * a retired version); work directories a crashed worker left. The
 * objects themselves are listed and deleted by the route. Safe on several instances: a purge is
 * recorded once (a compare-and-set on the video), and deleting an object twice is harmless.
 */
@Component("housekeeping")
public class Housekeeping {

  /**
   * {@code reelflow.housekeeping.*}.
   *
   * @param intervalMs how often garbage is collected
   * @param grace how long the media of a failed or canceled video is kept (a scene retry needs
   *     it), and how old an unnamed object must be to count as orphaned
   * @param retention per tier, how long a succeeded video's media is kept after it finished
   * @param workMaxAge work directories untouched this long are left over from a crash
   * @param batchSize videos purged per run
   */
  @ConfigurationProperties("reelflow.housekeeping")
  public record Settings(long intervalMs, Duration grace, Map<String, Duration> retention, Duration workMaxAge,
      int batchSize) {

    public Settings {
      grace = grace == null ? Duration.ofHours(24) : grace;
      retention = retention == null ? Map.of() : Map.copyOf(retention);
      workMaxAge = workMaxAge == null ? Duration.ofHours(1) : workMaxAge;
      batchSize = batchSize <= 0 ? 50 : batchSize;
    }

    Duration retentionOf(String tier) {
      return retention.getOrDefault(tier, Duration.ofDays(30));
    }
  }

  /** A video whose media is due for deletion, and why: {@code expired}, {@code failed} or {@code canceled}. */
  public record Purge(UUID videoId, String reason) {

    /** The storage prefix of all its objects. */
    public String prefix() {
      return "videos/" + videoId + "/";
    }
  }

  private final JdbcClient jdbc;
  private final Videos videos;
  private final JobEvents events;
  private final MediaStore store;
  private final Settings settings;
  private final GenerationSettings generation;

  Housekeeping(JdbcClient jdbc, Videos videos, JobEvents events, MediaStore store, Settings settings,
      GenerationSettings generation) {
    this.jdbc = jdbc;
    this.videos = videos;
    this.events = events;
    this.store = store;
    this.settings = settings;
    this.generation = generation;
  }

  /** Videos whose media is due for deletion, oldest first. */
  public List<Purge> duePurges() {
    return jdbc.sql(
            """
            (select id, status as reason from videos v
              where status in ('failed', 'canceled') and version = 0
                and updated_at < now() - make_interval(secs => ?)
                and exists (select 1 from assets a where a.video_id = v.id)
              order by updated_at limit ?)
            union all
            (select id, 'expired' from videos
              where (status = 'succeeded' or (status in ('failed', 'canceled') and version > 0))
                and completed_at < now() - case tier when 'free' then make_interval(secs => ?)
                                                     when 'pro' then make_interval(secs => ?)
                                                     else make_interval(secs => ?) end
              order by completed_at limit ?)
            """)
        .params(settings.grace().toSeconds(), settings.batchSize(), settings.retentionOf("free").toSeconds(),
            settings.retentionOf("pro").toSeconds(), settings.retentionOf("enterprise").toSeconds(),
            settings.batchSize())
        .query((rs, n) -> new Purge(rs.getObject("id", UUID.class), rs.getString("reason")))
        .list();
  }

  /**
   * Records that the objects of {@code purge} were deleted: its asset rows go; an expired video
   * becomes {@code expired} with no media keys; the video's feed says what was removed.
   */
  @Transactional
  public void purged(@ExchangeProperty("purge") Purge purge, @ExchangeProperty("objects") List<S3Object> objects) {
    int rows = jdbc.sql("delete from assets where video_id = ?").param(purge.videoId()).update();
    if (rows == 0 && !purge.reason().equals("expired")) {
      return; // another instance recorded this purge already
    }
    if (purge.reason().equals("expired")) {
      if (!videos.expire(purge.videoId())) {
        return;
      }
      jdbc.sql("update video_versions set purged_at = now() where video_id = ? and purged_at is null")
          .param(purge.videoId()).update();
    }
    long bytes = objects.stream().mapToLong(o -> o.size() == null ? 0 : o.size()).sum();
    events.append(purge.videoId(), null, "housekeeping.media_deleted", "housekeeping",
        Map.of("reason", purge.reason(), "objects", objects.size(), "bytes", bytes));
  }

  /**
   * Retires the earlier versions of edited videos once their tier's retention has passed since
   * they were made: the row stays as history, its keys are no longer named, so the orphan sweep
   * that follows deletes the objects. The current version lives as long as the video.
   *
   * @return how many versions were retired
   */
  @Transactional
  public int retireVersions() {
    List<Map<String, Object>> retired = jdbc.sql(
            """
            update video_versions r set purged_at = now()
              from videos v
             where v.id = r.video_id and r.version < v.version and r.purged_at is null
               and r.created_at < now() - case v.tier when 'free' then make_interval(secs => ?)
                                                      when 'pro' then make_interval(secs => ?)
                                                      else make_interval(secs => ?) end
            returning r.video_id, r.version
            """)
        .params(settings.retentionOf("free").toSeconds(), settings.retentionOf("pro").toSeconds(),
            settings.retentionOf("enterprise").toSeconds())
        .query()
        .listOfRows();
    retired.forEach(r -> events.append((UUID) r.get("video_id"), null, "housekeeping.version_retired", "housekeeping",
        Map.of("version", r.get("version"))));
    return retired.size();
  }

  /**
   * Keys in storage that no asset, video or live version row names and that are older than the grace period
   * (so an upload whose row is about to be written is not taken), at most 1000 per run.
   */
  public List<String> orphanKeys() {
    List<String> old = store.keysOlderThan("videos/", Instant.now().minus(settings.grace()), 10_000);
    if (old.isEmpty()) {
      return List.of();
    }
    Set<String> named = new HashSet<>(jdbc.sql(
            "select storage_key from assets where storage_key = any(?)"
                + " union select final_video_key from videos where final_video_key = any(?)"
                + " union select thumbnail_key from videos where thumbnail_key = any(?)"
                + " union select k from video_versions, unnest(array[final_key, thumbnail_key, poster_key,"
                + " subtitles_key]) k where purged_at is null and k = any(?)")
        .params(old.toArray(String[]::new), old.toArray(String[]::new), old.toArray(String[]::new),
            old.toArray(String[]::new))
        .query(String.class)
        .list());
    return old.stream().filter(key -> !named.contains(key)).limit(1000).toList();
  }

  /** Deletes work directories left by crashed workers; returns how many. */
  public int sweepWorkFiles() {
    return WorkDirectories.sweep(Path.of(generation.workDirectory()), settings.workMaxAge());
  }
}
