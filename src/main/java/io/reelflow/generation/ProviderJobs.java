package io.reelflow.generation;

import io.reelflow.provider.Capability;
import io.reelflow.provider.JobReport;
import io.reelflow.provider.ProviderException;
import io.reelflow.provider.ProviderResult;
import io.reelflow.video.Sha256;
import io.reelflow.video.SceneJob;
import io.reelflow.video.Videos;
import java.util.Locale;
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
public class ProviderJobs {

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
   * Whether job {@code id} is still wanted: unfinished, its scene pending or generating and its
   * video generating. A job that is not (its video canceled or failed, the job superseded by an
   * edit) is canceled at its provider by the worker that leaves it.
   */
  boolean stillWanted(long id) {
    return jdbc.sql("select exists (select 1 from provider_jobs j join scenes s on s.id = j.scene_id"
            + " join videos v on v.id = j.video_id where j.id = ? and j.status in ('submitted', 'running')"
            + " and s.status in ('pending', 'generating') and v.status = 'generating')")
        .param(id)
        .query(Boolean.class)
        .single();
  }

  /**
   * Ends the unfinished jobs of a scene's {@code capabilities} (an edit wants new media from new
   * texts): they become {@code canceled} with code {@code superseded}, so the next worker starts a
   * new job (a new attempt, so a new idempotency key) instead of resuming one made for the old
   * texts. A worker still polling such a job finds its scene taken from it and cancels the job at
   * the provider. Joins the caller's transaction.
   */
  public void supersede(UUID sceneId, java.util.Collection<String> capabilities) {
    jdbc.sql("update provider_jobs set status = 'canceled', error_code = 'superseded', updated_at = now()"
            + " where scene_id = ? and capability = any(?) and status in ('submitted', 'running')")
        .params(sceneId, capabilities.toArray(String[]::new))
        .update();
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

  /**
   * Records what the provider said while this worker called it: the job's id (the first time),
   * that the provider was heard from (so the reconciler leaves a job its worker polls alone), and
   * its state, through {@link #report}.
   */
  void record(long id, String provider, ProviderResult result) {
    String jobId = result instanceof ProviderResult.Running running ? running.jobId()
        : result instanceof ProviderResult.Ready ready ? ready.jobId() : null;
    if (jobId == null) {
      return;
    }
    // On every poll: written when the id is new or the last word is over a second old, not each
    // time (a commit to flush per poll of every running job); the reconciler's silent-after is a minute.
    jdbc.sql("update provider_jobs set provider_job_id = coalesce(provider_job_id, ?), heard_at = now() where id = ?"
            + " and (provider_job_id is null or heard_at < now() - interval '1 second')")
        .params(jobId, id)
        .update();
    report(provider, new JobReport(jobId, result, null));
  }

  /** What a report did to the job it names. */
  enum Outcome { CHANGED, UNCHANGED, UNKNOWN_JOB }

  /** The job a report moved forward, and the state it moved to. */
  record Change(long id, UUID videoId, UUID sceneId, String capability, String state) {}

  /**
   * Moves {@code provider}'s job forward to what {@code report} says, never backward: submitted,
   * running, output ready and ended are ranked, and a report ranked at or below the job's state
   * changes nothing but the time the provider was last heard from. Ended jobs are final, so a
   * late, repeated or reordered report is a no-op.
   *
   * @return the change, or empty when nothing moved (see {@link #outcome} for why)
   */
  Optional<Change> report(String provider, JobReport report) {
    if (!report.conclusive()) {
      return Optional.empty();
    }
    Target target = Target.of(report);
    return jdbc.sql(
            "update provider_jobs set status = ?, heard_at = now(), updated_at = now(),"
                + " output_ready_at = case when ? then coalesce(output_ready_at, now()) else output_ready_at end,"
                + " output_url = coalesce(?, output_url), provider_millis = coalesce(?, provider_millis),"
                + " error_kind = ?, error_code = ?, error_message = ?"
                + " where provider = ? and provider_job_id = ? and " + RANK + " < ?"
                + " returning id, video_id, scene_id, capability")
        .params(target.status, target.rank == 2, target.outputUrl, target.providerMillis, target.errorKind,
            target.errorCode, target.errorMessage, provider, report.jobId(), target.rank)
        .query((rs, n) -> new Change(rs.getLong("id"), rs.getObject("video_id", UUID.class),
            rs.getObject("scene_id", UUID.class), rs.getString("capability"), target.name()))
        .optional();
  }

  /** Why a report changed nothing: the job is unknown here, or it is already at or past it. */
  Outcome outcome(String provider, String providerJobId) {
    int known = jdbc.sql("update provider_jobs set heard_at = now() where provider = ? and provider_job_id = ?")
        .params(provider, providerJobId)
        .update();
    return known == 0 ? Outcome.UNKNOWN_JOB : Outcome.UNCHANGED;
  }

  /** The ranking of a job's state: submitted 0, running 1, output ready 2, ended 3. */
  private static final String RANK = "(case when status in ('succeeded', 'failed', 'canceled') then 3"
      + " when output_ready_at is not null then 2 when status = 'running' then 1 else 0 end)";

  private record Target(String status, int rank, String outputUrl, Long providerMillis, String errorKind,
      String errorCode, String errorMessage) {

    static Target of(JobReport report) {
      if (report.failure() != null) {
        ProviderException failure = report.failure();
        return new Target("failed", 3, null, null, failure.kind().name().toLowerCase(Locale.ROOT), failure.code(),
            Videos.truncate(String.valueOf(failure.getMessage())));
      }
      if (report.result() instanceof ProviderResult.Ready ready) {
        return new Target("running", 2, ready.outputUrl(), ready.providerMillis(), null, null, null);
      }
      if (report.result() instanceof ProviderResult.Running running) {
        return "running".equals(running.status()) ? new Target("running", 1, null, null, null, null, null)
            : new Target("submitted", 0, null, null, null, null, null);
      }
      throw new IllegalArgumentException("a finished call has no job to report");
    }

    String name() {
      return rank == 2 ? "output_ready" : status;
    }
  }

  /** A job as recorded, for a worker that waits on it while webhooks and the reconciler move it. */
  record State(String providerJobId, String status, boolean outputReady, String outputUrl, long providerMillis,
      String errorKind, String errorCode, String errorMessage) {

    /**
     * The job as a provider answer: running, or ready with its output.
     *
     * @throws ProviderException when the job failed, with the kind the provider's report had
     * @throws SceneAbandoned when the job was canceled here (its scene is no longer wanted)
     */
    ProviderResult result() {
      if ("canceled".equals(status)) {
        throw new SceneAbandoned("provider job " + providerJobId + " was canceled");
      }
      if ("failed".equals(status)) {
        ProviderException.Kind kind = errorKind == null ? ProviderException.Kind.RETRYABLE
            : ProviderException.Kind.valueOf(errorKind.toUpperCase(Locale.ROOT));
        throw new ProviderException(kind, errorCode == null ? "provider_job_failed" : errorCode,
            String.valueOf(errorMessage), (java.time.Duration) null).jobEnded();
      }
      if (outputReady) {
        return new ProviderResult.Ready(providerJobId, outputUrl, providerMillis);
      }
      return new ProviderResult.Running(providerJobId, status);
    }
  }

  /** The recorded state of job {@code id}. */
  State state(long id) {
    return jdbc.sql(
            "select provider_job_id, status, output_ready_at is not null as output_ready, output_url,"
                + " coalesce(provider_millis, 0) as provider_millis, error_kind, error_code, error_message"
                + " from provider_jobs where id = ?")
        .param(id)
        .query(State.class)
        .single();
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
