package io.reelflow.generation;

import io.reelflow.intake.ApiSettings;
import io.reelflow.provider.Capability;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderException;
import io.reelflow.provider.ProviderRegistry;
import io.reelflow.provider.ProviderSettings;
import io.reelflow.provider.RenderedMedia;
import io.reelflow.video.SceneJob;
import io.reelflow.video.Scenes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Gets one capability's media for a claimed scene from its provider chain: the first provider
 * whose circuit is closed and that can make the scene, behind a fair provider slot; a job the
 * provider already accepted is resumed, never started again; retryable failures are retried
 * with backoff that honours {@code Retry-After}, on a per-scene budget (the tier's {@code max-retries}, counted in {@code retry_count}); a
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
  private final ProviderJobs jobs;
  private final Scenes scenes;
  private final ProviderSettings settings;
  private final GenerationSettings generation;
  private final ProviderAttempt attempt;
  private final SceneLease lease;
  private final Rollouts rollouts;
  private final Backoff backoff;

  private final ApiSettings tiers;
  private final VisualsFirst visualsFirst;

  ProviderCalls(ProviderRegistry registry, ProviderBreakers breakers, ProviderJobs jobs, Scenes scenes,
      ProviderSettings settings, GenerationSettings generation, ProviderAttempt attempt, SceneLease lease,
      Rollouts rollouts, ApiSettings tiers, VisualsFirst visualsFirst) {
    this.visualsFirst = visualsFirst;
    this.tiers = tiers;
    this.registry = registry;
    this.breakers = breakers;
    this.jobs = jobs;
    this.scenes = scenes;
    this.settings = settings;
    this.generation = generation;
    this.attempt = attempt;
    this.lease = lease;
    this.rollouts = rollouts;
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
    List<MediaProvider> chain = rollouts.order(cap, scene, registry.chain(cap, scene));
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
        visualsFirst.settled(scene, cap); // waits for a circuit, not on its way
        lease.pause(scene, ALL_OPEN_WAIT);
        continue;
      }
      Optional<ProviderJobs.Job> mine = resumable.filter(j -> j.provider().equals(provider.name()));
      resumable.filter(j -> !j.provider().equals(provider.name())).ifPresent(j -> abandon(j));
      try {
        return attempt.call(scene, cap, provider, mine, workDir);
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
            if (retries >= tiers.tier(scene.tier()).retries(settings.retry().budget())) {
              throw new ProviderFailure(e.code(), where + ": " + e.getMessage() + " (after " + retries + " retries)",
                  scene.sequenceNumber(), provider.name(), e.code(), true);
            }
            Duration delay = backoff.delay(retries, e.retryAfter());
            scenes.countRetry(scene.sceneId(), scene.videoId(), e.code(), provider.name(), delay.toMillis());
            lease.pause(scene, delay);
          }
        }
      }
    }
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

}
