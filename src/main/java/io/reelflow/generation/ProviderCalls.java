package io.reelflow.generation;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.reelflow.provider.Capability;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderException;
import io.reelflow.provider.ProviderRegistry;
import io.reelflow.provider.ProviderResult;
import io.reelflow.provider.ProviderSettings;
import io.reelflow.provider.RenderedMedia;
import io.reelflow.video.PermanentStageException;
import io.reelflow.video.SceneJob;
import io.reelflow.video.Scenes;
import io.reelflow.video.TransientStageException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Gets one capability's media for a claimed scene from its provider chain: the first provider
 * whose circuit is closed and that can make the scene, behind a fair provider slot; a job the
 * provider already accepted is resumed, never started again; retryable failures are retried
 * with backoff that honours {@code Retry-After}, on a per-scene budget ({@code retry_count}); a
 * provider whose circuit opens, or that cannot make the scene, hands it to the next one; all
 * circuits open means waiting for one to half-open, within the video's deadline.
 *
 * <p>Why one bean rather than route steps: the provider and its breaker are chosen per try from
 * data (the chain, breaker states, stored jobs), which the static circuit breaker EIP cannot
 * express; the route still shows each capability as one step.
 */
@Component("providerCalls")
public class ProviderCalls {

  private static final Duration ALL_OPEN_WAIT = Duration.ofMillis(500);

  private final ProviderRegistry registry;
  private final ProviderBreakers breakers;
  private final ProviderSlots slots;
  private final ProviderJobs jobs;
  private final Scenes scenes;
  private final ProviderSettings settings;
  private final GenerationSettings generation;
  private final SceneQueues queues;
  private final Backoff backoff;
  private final ProviderJobWatch watch;

  ProviderCalls(ProviderRegistry registry, ProviderBreakers breakers, ProviderSlots slots, ProviderJobs jobs,
      Scenes scenes, ProviderSettings settings, GenerationSettings generation, SceneQueues queues,
      ProviderJobWatch watch) {
    this.registry = registry;
    this.breakers = breakers;
    this.slots = slots;
    this.jobs = jobs;
    this.scenes = scenes;
    this.settings = settings;
    this.generation = generation;
    this.queues = queues;
    this.watch = watch;
    this.backoff = new Backoff(settings.retry());
  }

  /**
   * Makes the scene's {@code capability} media ({@code visual}, {@code speech} or {@code music}).
   * Blocking; thread-safe.
   *
   * @throws ProviderFailure when the scene cannot get it
   * @throws SceneAbandoned when the scene is no longer this worker's
   */
  public RenderedMedia produce(SceneJob scene, String capability, Path workDir) {
    Capability cap = Capability.of(capability);
    List<MediaProvider> chain = registry.chain(cap, scene);
    if (chain.isEmpty()) {
      throw new ProviderFailure("no_provider", "no " + cap.key() + " provider can make a " + scene.options().aspectRatio()
          + " scene of " + scene.durationMs() + " ms", scene.sequenceNumber(), null, null, false);
    }
    Set<String> unable = new HashSet<>();
    Instant deadline = scene.videoCreatedAt().plus(generation.videoDeadline());
    while (true) {
      Optional<ProviderJobs.Job> resumable = jobs.open(scene.sceneId(), cap);
      if (Instant.now().isAfter(deadline)) {
        throw new ProviderFailure("timeout", "scene " + scene.sequenceNumber() + " " + cap.key()
            + " not done within the video's deadline of " + generation.videoDeadline(), scene.sequenceNumber(), null,
            null, true);
      }
      MediaProvider provider = available(chain, unable, resumable);
      if (provider == null) {
        pause(scene, ALL_OPEN_WAIT);
        continue;
      }
      Optional<ProviderJobs.Job> mine = resumable.filter(j -> j.provider().equals(provider.name()));
      resumable.filter(j -> !j.provider().equals(provider.name())).ifPresent(j -> abandon(j));
      try {
        return callOnce(scene, cap, provider, mine, workDir);
      } catch (ProviderException e) {
        String where = "scene " + scene.sequenceNumber() + " " + cap.key() + " via " + provider.name();
        switch (e.kind()) {
          case PERMANENT -> throw new ProviderFailure(e.code(), where + ": " + e.getMessage(), scene.sequenceNumber(),
              provider.name(), e.code(), false);
          case UNSUPPORTED -> {
            unable.add(provider.name());
            if (unable.containsAll(chain.stream().map(MediaProvider::name).toList())) {
              throw new ProviderFailure("no_provider", where + ": " + e.getMessage(), scene.sequenceNumber(),
                  provider.name(), e.code(), false);
            }
          }
          case RETRYABLE -> {
            int retries = scenes.retryCount(scene.sceneId());
            if (retries >= settings.retry().budget()) {
              throw new ProviderFailure(e.code(), where + ": " + e.getMessage() + " (after " + retries + " retries)",
                  scene.sequenceNumber(), provider.name(), e.code(), true);
            }
            Duration delay = backoff.delay(retries, e.retryAfter());
            scenes.countRetry(scene.sceneId(), scene.videoId(), e.code(), provider.name(), delay.toMillis());
            pause(scene, delay);
          }
        }
      }
    }
  }

  /**
   * One try with {@code provider}: a slot, then start (or resume) and poll to the end. A finished
   * job gives its slot back before its output is fetched, so the provider's capacity is not held
   * by our download and transcoding.
   */
  private RenderedMedia callOnce(SceneJob scene, Capability cap, MediaProvider provider,
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
    String jobId = job.providerJobId();
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
      return media;
    } catch (FetchFailed e) {
      throw e;
    } catch (ProviderException e) {
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
      if (jobId != null) {
        provider.cancel(jobId);
        jobs.canceled(job.id());
      }
      throw e;
    } catch (PermanentStageException e) {
      breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      throw asProviderException(job, e.code(), e.getMessage(), ProviderException.Kind.PERMANENT);
    } catch (TransientStageException e) {
      breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
      throw asProviderException(job, e.code(), e.getMessage(), ProviderException.Kind.RETRYABLE);
    } finally {
      slots.release(lease);
      watch.forget(job.id());
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
      pause(scene, pollInterval(provider));
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
    pause(scene, Duration.ZERO);
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
      lease = slots.acquire(provider.name(), request,
          () -> scenes.renewLease(scene.sceneId(), SceneWork.WORKER_ID, generation.leaseSeconds()));
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

  /** The first provider of the chain that can take a call now; the one holding a job to resume first. */
  private MediaProvider available(List<MediaProvider> chain, Set<String> unable, Optional<ProviderJobs.Job> resume) {
    if (resume.isPresent()) {
      MediaProvider holder = registry.named(resume.get().provider());
      if (holder != null && chain.contains(holder) && breakers.of(holder.name()).tryAcquirePermission()) {
        return holder;
      }
    }
    for (MediaProvider provider : chain) {
      if (!unable.contains(provider.name()) && breakers.of(provider.name()).tryAcquirePermission()) {
        return provider;
      }
    }
    return null;
  }

  private void abandon(ProviderJobs.Job job) {
    MediaProvider provider = registry.named(job.provider());
    if (provider != null && job.providerJobId() != null) {
      provider.cancel(job.providerJobId());
    }
    jobs.failed(job.id(), "provider_switched", "moved to another provider");
  }

  private Duration pollInterval(MediaProvider provider) {
    ProviderSettings.Remote remote = settings.remote().get(provider.name());
    return remote == null ? Duration.ofMillis(500) : remote.pollInterval();
  }

  /** Sleeps, then checks that the scene is still this worker's; renews its lease. */
  private void pause(SceneJob scene, Duration delay) {
    try {
      Thread.sleep(Math.max(0, delay.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SceneAbandoned("interrupted while waiting");
    }
    if (!scenes.renewLease(scene.sceneId(), SceneWork.WORKER_ID, generation.leaseSeconds())) {
      throw new SceneAbandoned("scene " + scene.sceneId() + " is no longer held by this worker");
    }
  }
}
