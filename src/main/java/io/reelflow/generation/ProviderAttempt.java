package io.reelflow.generation;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.reelflow.cost.Costs;
import io.reelflow.provider.Capability;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderException;
import io.reelflow.provider.ProviderResult;
import io.reelflow.provider.ProviderSettings;
import io.reelflow.provider.RenderedMedia;
import io.reelflow.video.PermanentStageException;
import io.reelflow.video.SceneJob;
import io.reelflow.video.TransientStageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * One try of a scene's capability with one provider ({@link ProviderCalls} picks the provider and
 * retries): a fair slot, then the provider job started (or resumed) and followed to its end,
 * polled or moved by webhooks, its output fetched after the slot is given back; the breaker and
 * {@code reelflow.provider.calls} hear how it went.
 */
@Component
class ProviderAttempt {

  private final ProviderBreakers breakers;
  private final ProviderSlots slots;
  private final ProviderJobs jobs;
  private final ProviderSettings settings;
  private final SceneQueues queues;
  private final ProviderJobWatch watch;
  private final SceneLease sceneLease;
  private final MeterRegistry meters;
  private final Costs costs;
  private final VisualsFirst visualsFirst;

  ProviderAttempt(ProviderBreakers breakers, ProviderSlots slots, ProviderJobs jobs, ProviderSettings settings,
      SceneQueues queues, ProviderJobWatch watch, SceneLease lease, MeterRegistry meters, Costs costs,
      VisualsFirst visualsFirst) {
    this.visualsFirst = visualsFirst;
    this.breakers = breakers;
    this.slots = slots;
    this.jobs = jobs;
    this.settings = settings;
    this.queues = queues;
    this.watch = watch;
    this.sceneLease = lease;
    this.meters = meters;
    this.costs = costs;
  }

  /**
   * One try with {@code provider}: a slot, then start (or resume) and poll to the end. A finished
   * job gives its slot back before its output is fetched, so the provider's capacity is not held
   * by our download and transcoding.
   */
  RenderedMedia call(SceneJob scene, Capability cap, MediaProvider provider,
      Optional<ProviderJobs.Job> resume, Path workDir) {
    CircuitBreaker breaker = breakers.of(provider.name());
    ProviderSlots.Lease lease = takeSlot(scene, cap, provider, breaker);
    long started = System.nanoTime();
    ProviderJobs.Job job;
    try {
      job = resume.orElseGet(() -> jobs.begin(scene, cap, provider.name()));
    } catch (RuntimeException e) {
      slots.release(lease);
      breaker.releasePermission();
      throw e;
    }
    visualsFirst.settled(scene, cap); // its job row is written: the call follows at once
    String jobId = job.providerJobId();
    String code = null;
    try {
      ProviderResult result = jobId == null ? provider.start(scene, workDir, job.idempotencyKey())
          : provider.poll(jobId);
      jobs.record(job.id(), provider.name(), result);
      while (result instanceof ProviderResult.Running running) {
        jobId = running.jobId();
        result = next(scene, provider, job.id(), jobId, lease);
      }
      breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      RenderedMedia media;
      if (result instanceof ProviderResult.Ready ready) {
        slots.release(lease);
        media = fetch(provider, scene, workDir, ready);
      } else {
        media = ((ProviderResult.Done) result).media();
      }
      jobs.succeeded(job.id());
      costs.charge(scene.videoId(), scene.userId(), provider.name() + ":" + cap.key(),
          costs.ofCall(provider.name(), cap, scene));
      code = "none";
      return media;
    } catch (FetchFailed e) {
      code = e.code();
      throw e;
    } catch (ProviderException e) {
      code = e.code();
      if (e.countsAgainstProvider()) {
        breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
      } else if (e.kind() == ProviderException.Kind.RETRYABLE) {
        breaker.releasePermission();
      } else {
        breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
      if (e.kind() != ProviderException.Kind.RETRYABLE || e.endedJob()) {
        jobs.failed(job.id(), e.code(), e.getMessage());
      }
      throw e;
    } catch (SceneAbandoned e) {
      breaker.releasePermission();
      // A worker that lost its lease (slow, or shutting down) leaves a job its scene still wants
      // to the worker that holds the scene now, which resumes it; cancelling it here would make
      // that worker pay for a second generation. Only an unwanted job is canceled.
      if (jobId != null && !jobs.stillWanted(job.id())) {
        provider.cancel(jobId);
        jobs.canceled(job.id());
      }
      throw e;
    } catch (PermanentStageException e) {
      code = e.code();
      breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      throw asProviderException(job, e.code(), e.getMessage(), ProviderException.Kind.PERMANENT);
    } catch (TransientStageException e) {
      code = e.code();
      breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
      throw asProviderException(job, e.code(), e.getMessage(), ProviderException.Kind.RETRYABLE);
    } finally {
      slots.release(lease);
      watch.forget(job.id());
      if (code != null) {
        Timer.builder("reelflow.provider.calls")
            .description("provider calls from slot to media (or failure), by outcome and error code")
            .tags("provider", provider.name(), "capability", cap.key(),
                "outcome", code.equals("none") ? "succeeded" : "failed", "code", code)
            .publishPercentileHistogram()
            .register(meters)
            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * The job's next state. A provider that sends webhooks is not polled here: the worker waits on
   * the job's row, which webhooks move (and the reconciler, when they stay silent); others are
   * polled every poll interval.
   */
  private ProviderResult next(SceneJob scene, MediaProvider provider, long id, String jobId,
      ProviderSlots.Lease lease) {
    if (!provider.sendsWebhooks()) {
      sceneLease.pause(scene, pollInterval(provider));
      slots.renew(lease);
      ProviderResult result = provider.poll(jobId);
      jobs.record(id, provider.name(), result);
      return result;
    }
    try {
      watch.await(id, pollInterval(provider));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SceneAbandoned("interrupted while waiting for provider job " + jobId);
    }
    sceneLease.pause(scene, Duration.ZERO);
    slots.renew(lease);
    return jobs.state(id).result();
  }

  /**
   * Fetches a finished job's output. The breaker already counted the job's success, so a failure
   * here is rethrown as a plain retryable one that leaves the job to be resumed (polled again,
   * never paid again) and does not count against the provider twice.
   */
  private RenderedMedia fetch(MediaProvider provider, SceneJob scene, Path workDir, ProviderResult.Ready ready) {
    try {
      return provider.fetch(scene, workDir, ready);
    } catch (ProviderException e) {
      throw new FetchFailed(e);
    }
  }

  /** A finished job whose output could not be fetched yet: retried, the job resumed. */
  private static final class FetchFailed extends ProviderException {
    FetchFailed(ProviderException cause) {
      super(Kind.RETRYABLE, cause.code(), cause.getMessage(), cause.retryAfter());
    }
  }

  private ProviderSlots.Lease takeSlot(SceneJob scene, Capability cap, MediaProvider provider, CircuitBreaker breaker) {
    ProviderSlots.Request request = new ProviderSlots.Request(scene.sceneId() + ":" + cap.key(), scene.sceneId(),
        scene.userId(), scene.freeTier(), queues.priorityOfTier(scene.tier()));
    ProviderSlots.Lease lease;
    try {
      lease = slots.acquire(provider.name(), request, () -> sceneLease.holds(scene),
          () -> visualsFirst.settled(scene, cap));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lease = null;
    }
    if (lease == null) {
      breaker.releasePermission();
      throw new SceneAbandoned("scene " + scene.sceneId() + " stopped waiting for a " + provider.name() + " slot");
    }
    return lease;
  }

  private ProviderException asProviderException(ProviderJobs.Job job, String code, String message,
      ProviderException.Kind kind) {
    jobs.failed(job.id(), code, message);
    return new ProviderException(kind, code, message, (Duration) null);
  }

  private Duration pollInterval(MediaProvider provider) {
    ProviderSettings.Remote remote = settings.remote().get(provider.name());
    return remote == null ? Duration.ofMillis(500) : remote.pollInterval();
  }

}
