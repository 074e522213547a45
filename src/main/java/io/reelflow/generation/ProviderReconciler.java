package io.reelflow.generation;

import io.reelflow.provider.JobReport;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderRegistry;
import io.reelflow.provider.ProviderResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Webhooks are the fast path, never the only one: provider jobs not heard of for longer than
 * {@code reelflow.reconciler.silent-after} (a lost webhook, a provider that sends none to us) are
 * polled here and moved on, and jobs whose scene is no longer wanted (its video failed or was
 * canceled, another provider took it over) are canceled at the provider. Safe on several
 * instances: a run claims its jobs by moving their last-heard time, under {@code SKIP LOCKED}.
 * Every action is written to the video's feed as {@code reconciler.<action>}.
 */
@Component("providerReconciler")
public class ProviderReconciler {

  private final JdbcClient jdbc;
  private final ProviderRegistry registry;
  private final JobUpdates updates;
  private final ProviderJobs jobs;
  private final ReconcilerSettings settings;

  ProviderReconciler(JdbcClient jdbc, ProviderRegistry registry, JobUpdates updates, ProviderJobs jobs,
      ReconcilerSettings settings) {
    this.jdbc = jdbc;
    this.registry = registry;
    this.updates = updates;
    this.jobs = jobs;
    this.settings = settings;
  }

  private record Silent(long id, UUID videoId, UUID sceneId, String provider, String providerJobId,
      boolean wanted) {}

  /**
   * Polls (or cancels) the provider jobs that have been silent too long.
   *
   * @return how many jobs were looked at
   */
  public int pollSilent() {
    List<Silent> silent = jdbc.sql(
            """
            update provider_jobs j set heard_at = now()
              from scenes s, videos v
             where j.id in (select id from provider_jobs
                             where status in ('submitted', 'running') and output_ready_at is null
                               and provider_job_id is not null
                               and heard_at < now() - make_interval(secs => ?)
                             order by heard_at limit ? for update skip locked)
               and s.id = j.scene_id and v.id = j.video_id
            returning j.id, j.video_id, j.scene_id, j.provider, j.provider_job_id,
                      (s.status in ('pending', 'generating') and v.status = 'generating') as wanted
            """)
        .params(settings.silentAfter().toSeconds(), settings.batchSize())
        .query(Silent.class)
        .list();
    silent.forEach(this::reconcile);
    return silent.size();
  }

  private void reconcile(Silent job) {
    MediaProvider provider = registry.named(job.provider());
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("provider", job.provider());
    detail.put("provider_job_id", job.providerJobId());
    detail.put("silent_for_more_than_s", settings.silentAfter().toSeconds());
    if (provider == null) {
      detail.put("found", "provider no longer configured");
      updates.record(job.videoId(), job.sceneId(), "job_orphaned", detail);
      jobs.failed(job.id(), "provider_removed", "provider " + job.provider() + " is no longer configured");
      return;
    }
    if (!job.wanted()) {
      provider.cancel(job.providerJobId());
      jobs.canceled(job.id());
      detail.put("found", "scene no longer wanted");
      updates.record(job.videoId(), job.sceneId(), "job_canceled", detail);
      return;
    }
    JobReport report = JobReport.of(job.providerJobId(), () -> provider.poll(job.providerJobId()));
    if (!report.conclusive()) {
      detail.put("found", "poll failed: " + report.failure().code());
      updates.record(job.videoId(), job.sceneId(), "poll_failed", detail);
      return;
    }
    ProviderJobs.Outcome outcome = updates.apply(provider.name(), report, "reconciler");
    detail.put("found", report.failure() != null ? "failed: " + report.failure().code()
        : report.result() instanceof ProviderResult.Ready ? "output ready" : "still running");
    detail.put("moved", outcome == ProviderJobs.Outcome.CHANGED);
    updates.record(job.videoId(), job.sceneId(), "job_polled", detail);
  }
}
