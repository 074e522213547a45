package io.reelflow.video;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code scenes} table. A worker owns a scene only through {@link #claim}, a compare-and-set
 * that also takes over a scene whose lease expired; every other change names the state it
 * expects.
 */
@Component
public class Scenes {

  private final JdbcClient jdbc;
  private final JobEvents events;
  private final Json json;
  private final Outbox outbox;

  Scenes(JdbcClient jdbc, JobEvents events, Json json, Outbox outbox) {
    this.jdbc = jdbc;
    this.events = events;
    this.json = json;
    this.outbox = outbox;
  }

  /**
   * Stores the plan, moves the video from planning to generating and queues one message per scene
   * on {@code queue} through the outbox, all in one transaction: the relay publishes the plan's
   * messages together when it commits, and a crash after the commit cannot leave a video
   * generating with scenes that no message names.
   *
   * @return one message per scene, in order; empty when the video was not planning (duplicate)
   */
  @Transactional
  public List<SceneMessage> savePlan(UUID videoId, List<PlannedScene> plan, SceneQueue queue) {
    List<SceneMessage> messages = storePlan(videoId, plan);
    outbox.enqueueScenes(videoId, queue, messages);
    return messages;
  }

  /**
   * Stores the plan and moves the video from planning to generating, in one transaction, without
   * queueing its scenes: the caller publishes them (tests that hand scenes to the workers one by one).
   *
   * @return one message per scene, in order; empty when the video was not planning (duplicate)
   */
  @Transactional
  public List<SceneMessage> storePlan(UUID videoId, List<PlannedScene> plan) {
    int moved =
        jdbc.sql(
                "update videos set status = 'generating', scene_count = ?, updated_at = now()"
                    + " where id = ? and status = 'planning'")
            .params(plan.size(), videoId)
            .update();
    if (moved == 0) {
      return List.of();
    }
    List<SceneMessage> messages = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      PlannedScene scene = plan.get(i);
      UUID sceneId = UUID.randomUUID();
      values.addAll(Arrays.asList(sceneId, videoId, i, i, scene.headline(), scene.visualPrompt(),
          scene.audioScript(), scene.durationMs()));
      messages.add(new SceneMessage(videoId, sceneId, plan.size()));
    }
    // one statement for the whole plan: the scenes are ready (committed) a round trip per scene sooner
    if (!plan.isEmpty()) {
      jdbc.sql("insert into scenes (id, video_id, sequence_number, display_order, headline, visual_prompt,"
              + " audio_script, duration_ms, status) values "
              + String.join(", ", Collections.nCopies(plan.size(), "(?, ?, ?, ?, ?, ?, ?, ?, 'pending')")))
          .params(values)
          .update();
    }
    events.append(videoId, null, "video.planned", "planning", Map.of("scenes", plan.size()));
    return messages;
  }

  /**
   * Claims a pending scene, or one whose lease expired, for {@code owner}.
   *
   * @return the job, or empty when another worker holds it or it is already finished
   */
  public Optional<SceneJob> claim(UUID sceneId, String owner, int leaseSeconds) {
    // One statement, run on its own (autocommit): the claim, the video's next event number and the
    // scene.started event (numbered as every event is: JobEvents.next). A plan's scenes are all claimed at once
    // and each event takes the video row's lock; on its own the statement lets go of that lock when
    // it ends on the server, not a round trip later when the worker's COMMIT arrives, and the
    // commit does not wait for the WAL flush (set_config(..., true) lasts to the end of this
    // transaction). Nothing leaves this system on a claim alone; the first durable commit after it
    // (the provider job row, before any call; an asset row) flushes it with its own, and a claim
    // lost in a database crash is only a scene claimed again.
    return jdbc.sql(
            """
            with quick as (select set_config('synchronous_commit', 'off', true) as off),
            claimed as (
              update scenes s set status = 'generating', lease_owner = :owner,
                     lease_expires_at = now() + make_interval(secs => :lease),
                     started_at = coalesce(s.started_at, now()),
                     retry_count = s.retry_count + case when s.status = 'generating' then 1 else 0 end
                from videos v, quick
               where s.id = :scene and v.id = s.video_id and v.status = 'generating'
                 and (s.status = 'pending' or (s.status = 'generating' and s.lease_expires_at < now()))
              returning s.id, s.video_id, s.sequence_number, v.scene_count, s.headline,
                        s.visual_prompt, s.audio_script, s.duration_ms, v.options::text as options,
                        v.user_id, v.tier, coalesce(v.restarted_at, v.created_at) as created_at,
                        array(select a.asset_type from assets a where a.video_id = s.video_id and a.scene_id = s.id) as stored),
            %s,
            started as (
              %s
              select next.id, next.event_seq, claimed.id, 'scene.started', 'generation',
                     jsonb_build_object('sequence', claimed.sequence_number, 'worker', cast(:owner as text)),
                     clock_timestamp()
                from next, claimed)
            select * from claimed
            """.formatted(JobEvents.next("(select video_id from claimed)"), JobEvents.INSERT))
        .param("owner", owner)
        .param("lease", leaseSeconds)
        .param("scene", sceneId)
        .query(
            (rs, n) ->
                new SceneJob(
                    rs.getObject("id", UUID.class),
                    rs.getObject("video_id", UUID.class),
                    rs.getInt("sequence_number"),
                    rs.getInt("scene_count"),
                    rs.getString("headline"),
                    rs.getString("visual_prompt"),
                    rs.getString("audio_script"),
                    rs.getInt("duration_ms"),
                    json.read(rs.getString("options"), VideoOptions.class),
                    rs.getString("user_id"),
                    rs.getString("tier"),
                    rs.getTimestamp("created_at").toInstant(),
                    owner,
                    Set.copyOf(Arrays.asList((String[]) rs.getArray("stored").getArray()))))
        .optional();
  }

  /** Queue that receives each finished scene, for the barrier. */
  public static final String DONE_QUEUE = "scene.done";

  /**
   * Marks a scene that {@code owner} holds succeeded and queues its scene-done message through the
   * outbox.
   *
   * @return false when the scene was not generating under this claim (nothing changes)
   */
  @Transactional
  public boolean succeed(UUID sceneId, String owner, String provider) {
    Optional<SceneMessage> done =
        jdbc.sql(
                "update scenes s set status = 'succeeded', provider = ?, finished_at = now(),"
                    + " lease_owner = null, lease_expires_at = null from videos v"
                    + " where s.id = ? and s.status = 'generating' and s.lease_owner = ? and v.id = s.video_id"
                    + " returning s.video_id, v.scene_count")
            .params(provider, sceneId, owner)
            .query((rs, n) -> new SceneMessage(rs.getObject("video_id", UUID.class), sceneId, rs.getInt("scene_count")))
            .optional();
    done.ifPresent(
        m -> {
          events.append(m.videoId(), sceneId, "scene.succeeded", "generation", null);
          outbox.enqueue(m.videoId(), DONE_QUEUE, m);
        });
    return done.isPresent();
  }

  /** Marks an unfinished scene failed with a code and reason; false when already finished. */
  @Transactional
  public boolean fail(UUID sceneId, String code, String message) {
    Optional<UUID> videoId =
        jdbc.sql(
                "update scenes set status = 'failed', error_code = ?, error_message = ?,"
                    + " finished_at = now(), lease_owner = null, lease_expires_at = null"
                    + " where id = ? and status in ('pending', 'generating') returning video_id")
            .params(code, Videos.truncate(message), sceneId)
            .query(UUID.class)
            .optional();
    videoId.ifPresent(v -> events.append(v, sceneId, "scene.failed", "generation", Map.of("code", code)));
    return videoId.isPresent();
  }

  /**
   * Counts one retry of a generating scene and records why.
   *
   * @return the scene's retry count after this one
   */
  @Transactional
  public int countRetry(UUID sceneId, UUID videoId, String code, String provider, long delayMs) {
    int count =
        jdbc.sql("update scenes set retry_count = retry_count + 1 where id = ? returning retry_count")
            .param(sceneId)
            .query(Integer.class)
            .single();
    events.append(videoId, sceneId, "scene.retrying", "generation",
        Map.of("code", code, "provider", provider, "retry", count, "delay_ms", delayMs));
    return count;
  }

  /** Retries the scene has made so far. */
  public int retryCount(UUID sceneId) {
    return jdbc.sql("select retry_count from scenes where id = ?").param(sceneId).query(Integer.class).optional().orElse(0);
  }

  /**
   * Whether {@code owner}'s claim on the scene stands: still generating under it, its video too. A
   * read, so a worker can ask it on every poll without a commit to flush: its lease is renewed
   * apart, for every claim of the instance in one statement ({@link #renewLeases}).
   */
  public boolean holds(UUID sceneId, String owner) {
    return jdbc.sql("select exists (select 1 from scenes s join videos v on v.id = s.video_id where s.id = ?"
                + " and s.status = 'generating' and s.lease_owner = ? and v.status = 'generating')")
            .params(sceneId, owner)
            .query(Boolean.class)
            .single();
  }

  /**
   * Extends the leases of the given claims whose scenes are still generating under them, in one
   * statement.
   *
   * @return the claims renewed
   */
  public Set<String> renewLeases(List<String> owners, int leaseSeconds) {
    return Set.copyOf(jdbc.sql("update scenes s set lease_expires_at = now() + make_interval(secs => ?)"
            + " from videos v where s.lease_owner = any(cast(? as text[])) and s.status = 'generating'"
            + " and v.id = s.video_id and v.status = 'generating' returning s.lease_owner")
        .params(leaseSeconds, owners.toArray(new String[0]))
        .query(String.class)
        .list());
  }

  /**
   * Puts scenes whose worker stopped renewing its lease (a crash, a kill, a lost instance) back to
   * pending and queues them again through the outbox, at most {@code limit} per call. The retry
   * is counted; the old worker, should it wake, finds the scene no longer its own.
   *
   * @param queueOfTier the generation queue of a tier, with its priority
   * @return how many scenes were queued again
   */
  @Transactional
  public int requeueAbandoned(int limit, java.util.function.Function<String, SceneQueue> queueOfTier) {
    List<Map<String, Object>> rows =
        jdbc.sql(
                """
                update scenes s set status = 'pending', lease_owner = null, lease_expires_at = null,
                       retry_count = s.retry_count + 1
                  from videos v
                 where s.id in (select id from scenes where status = 'generating' and lease_expires_at < now()
                                order by lease_expires_at limit ? for update skip locked)
                   and v.id = s.video_id and v.status = 'generating'
                returning s.id, s.video_id, v.scene_count, v.tier
                """)
            .param(limit)
            .query()
            .listOfRows();
    for (Map<String, Object> row : rows) {
      UUID sceneId = (UUID) row.get("id");
      UUID videoId = (UUID) row.get("video_id");
      events.append(videoId, sceneId, "scene.requeued", "generation", Map.of("reason", "lease_expired"));
      outbox.enqueueScenes(videoId, queueOfTier.apply((String) row.get("tier")),
          List.of(new SceneMessage(videoId, sceneId, (Integer) row.get("scene_count"))));
    }
    return rows.size();
  }

  /**
   * Runs a failed video's failed scenes again (and those stopped when it failed), keeping every
   * succeeded one: they become pending with a fresh retry budget, the video generating again, and through the outbox
   * each pending scene is queued and each succeeded scene's scene-done message sent again (so the
   * barrier, which dropped them while the video was failed, holds them all). The generation
   * deadline counts from the retry.
   *
   * @param queue the generation queue of the video's tier, with its priority
   * @return the sequence numbers queued again; empty when the video is not failed or the scene
   *     {@code sequence} is not failed
   */
  @Transactional
  public List<Integer> retryFailed(UUID videoId, int sequence, SceneQueue queue) {
    int moved =
        jdbc.sql(
                """
                update videos set status = 'generating', error_code = null, error_message = null,
                       error_stage = null, error_retryable = null, error_scene = null, error_provider = null,
                       error_provider_code = null, completed_at = null, updated_at = now(), restarted_at = now()
                 where id = ? and status = 'failed'
                   and exists (select 1 from scenes where video_id = ? and sequence_number = ? and status = 'failed')
                """)
            .params(videoId, videoId, sequence)
            .update();
    if (moved == 0) {
      return List.of();
    }
    jdbc.sql("update scenes set status = 'pending', retry_count = 0, error_code = null, error_message = null,"
            + " finished_at = null, lease_owner = null, lease_expires_at = null"
            + " where video_id = ? and status in ('failed', 'canceled')")
        .param(videoId)
        .update();
    List<Map<String, Object>> rows =
        jdbc.sql("select s.id, s.sequence_number, s.status, v.scene_count from scenes s join videos v on v.id = s.video_id"
                + " where s.video_id = ? and s.status in ('pending', 'succeeded') order by s.sequence_number")
            .param(videoId)
            .query()
            .listOfRows();
    List<Integer> queued = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      SceneMessage message = new SceneMessage(videoId, (UUID) row.get("id"), (Integer) row.get("scene_count"));
      boolean pending = "pending".equals(row.get("status"));
      if (pending) {
        outbox.enqueueScenes(videoId, queue, List.of(message));
        queued.add((Integer) row.get("sequence_number"));
      } else {
        outbox.enqueue(videoId, DONE_QUEUE, message);
      }
    }
    events.append(videoId, null, "video.retrying", "generation", Map.of("scenes", queued));
    return queued;
  }

  /** Whether every scene of the video succeeded (and it has scenes). */
  public boolean allSucceeded(UUID videoId) {
    return jdbc.sql("select count(*) > 0 and count(*) filter (where status <> 'succeeded') = 0 from scenes"
            + " where video_id = ?")
        .param(videoId)
        .query(Boolean.class)
        .single();
  }

  /**
   * Scenes of a video in display order, as rows for the status API and composition; {@code
   * trim_in_ms} and {@code trim_out_ms} are null where the scene is not trimmed.
   */
  public List<Map<String, Object>> of(UUID videoId) {
    return jdbc.sql(
            "select id, sequence_number, display_order, headline, visual_prompt, audio_script, duration_ms,"
                + " trim_in_ms, trim_out_ms, status, retry_count, provider, error_code, error_message, started_at,"
                + " finished_at from scenes where video_id = ? order by display_order")
        .param(videoId)
        .query()
        .listOfRows();
  }
}
