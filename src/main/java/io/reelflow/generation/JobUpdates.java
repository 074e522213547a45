package io.reelflow.generation;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.provider.JobReport;
import io.reelflow.video.JobEvents;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Applies what a provider said about a job when the worker that waits on it did not ask: a
 * webhook, or the reconciler's poll. The job moves forward only ({@link ProviderJobs#report}), the
 * move is written to the video's feed, and a worker of this instance waiting on the job wakes.
 */
@Component
class JobUpdates {

  private final ProviderJobs jobs;
  private final ProviderJobWatch watch;
  private final JobEvents events;
  private final MeterRegistry meters;

  JobUpdates(ProviderJobs jobs, ProviderJobWatch watch, JobEvents events, MeterRegistry meters) {
    this.jobs = jobs;
    this.watch = watch;
    this.events = events;
    this.meters = meters;
  }

  /**
   * Applies {@code report} about one of {@code provider}'s jobs.
   *
   * @param via {@code webhook} or {@code reconciler}, for the feed and the metrics
   * @return what the report did
   */
  @Transactional
  public ProviderJobs.Outcome apply(String provider, JobReport report, String via) {
    ProviderJobs.Outcome outcome = jobs.report(provider, report)
        .map(change -> {
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("provider", provider);
          detail.put("provider_job_id", report.jobId());
          detail.put("capability", change.capability());
          detail.put("state", change.state());
          detail.put("via", via);
          if (report.failure() != null) {
            detail.put("code", report.failure().code());
          }
          events.append(change.videoId(), change.sceneId(), "provider.job_" + change.state(), "generation", detail);
          afterCommit(change.id());
          return ProviderJobs.Outcome.CHANGED;
        })
        .orElseGet(() -> jobs.outcome(provider, report.jobId()));
    meters.counter("reelflow.provider.job.reports", "provider", provider, "via", via, "outcome",
        outcome.name().toLowerCase(Locale.ROOT)).increment();
    return outcome;
  }

  /** Writes a reconciler action to the video's feed. */
  void record(UUID videoId, UUID sceneId, String action, Map<String, ?> detail) {
    events.append(videoId, sceneId, "reconciler." + action, "generation", detail);
    meters.counter("reelflow.reconciler.actions", "kind", action).increment();
  }

  private void afterCommit(long id) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              watch.signal(id);
            }
          });
    } else {
      watch.signal(id);
    }
  }
}
