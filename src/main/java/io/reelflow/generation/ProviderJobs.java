package io.reelflow.generation;

import io.reelflow.provider.Capability;
import io.reelflow.video.Sha256;
import io.reelflow.video.SceneJob;
import io.reelflow.video.Videos;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code provider_jobs} table: every provider job a scene started, so that a retry, a
 * redelivered message or a restart resumes a job the provider already accepted instead of paying
 * for it again.
 */
@Component
class ProviderJobs {

  /** One provider job of a scene. */
  record Job(long id, String provider, int attempt, String idempotencyKey, String providerJobId, String status) {}

  private final JdbcClient jdbc;

  ProviderJobs(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The latest unfinished job of the scene's capability, if any: the one to resume. */
  Optional<Job> open(UUID sceneId, Capability capability) {
    return jdbc.sql(
            "select id, provider, attempt, idempotency_key, provider_job_id, status from provider_jobs"
                + " where scene_id = ? and capability = ? and status in ('submitted', 'running')"
                + " order by id desc limit 1")
        .params(sceneId, capability.key())
        .query(Job.class)
        .optional();
  }

  /**
   * A new job row for a call to {@code provider}. Its attempt number counts the earlier jobs of
   * this scene, capability and provider that ended, so the idempotency key changes only when a
   * new generation is really wanted.
   */
  Job begin(SceneJob scene, Capability capability, String provider) {
    int attempt =
        jdbc.sql("select count(*) + 1 from provider_jobs where scene_id = ? and capability = ? and provider = ?")
            .params(scene.sceneId(), capability.key(), provider)
            .query(Integer.class)
            .single();
    String key = Sha256.hex(scene.sceneId() + ":" + capability.key() + ":" + provider + ":" + attempt);
    return jdbc.sql(
            """
            insert into provider_jobs (scene_id, video_id, capability, provider, attempt, idempotency_key, status)
            values (?, ?, ?, ?, ?, ?, 'submitted')
            on conflict (idempotency_key) do update set updated_at = now()
            returning id, provider, attempt, idempotency_key, provider_job_id, status
            """)
        .params(scene.sceneId(), scene.videoId(), capability.key(), provider, attempt, key)
        .query(Job.class)
        .single();
  }

  /** Records the provider's job id and normalised status. */
  void running(long id, String providerJobId, String status) {
    jdbc.sql("update provider_jobs set provider_job_id = ?, status = ?, updated_at = now() where id = ?")
        .params(providerJobId, status, id)
        .update();
  }

  /** Records that the provider finished the job and its output waits to be fetched. */
  void outputReady(long id, String providerJobId) {
    jdbc.sql("update provider_jobs set provider_job_id = ?, output_ready_at = now(), updated_at = now() where id = ?")
        .params(providerJobId, id)
        .update();
  }

  void succeeded(long id) {
    finish(id, "succeeded", null, null);
  }

  /** Ends a job that failed (or was given up for another provider) with the provider's code. */
  void failed(long id, String code, String message) {
    finish(id, "failed", code, message);
  }

  void canceled(long id) {
    finish(id, "canceled", null, null);
  }

  private void finish(long id, String status, String code, String message) {
    jdbc.sql("update provider_jobs set status = ?, error_code = ?, error_message = ?, updated_at = now(),"
            + " output_ready_at = coalesce(output_ready_at, case when cast(? as text) = 'succeeded' then now() end)"
            + " where id = ? and status in ('submitted', 'running')")
        .params(status, code, message == null ? null : Videos.truncate(message), status, id)
        .update();
  }
}
