package io.reelflow.generation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Wakes a worker waiting on a provider job of this instance as soon as a webhook or the
 * reconciler moved the job, instead of at its next check. Only a shortcut: a job moved by another
 * instance is seen at the worker's next check of the row. Thread-safe.
 */
@Component
class ProviderJobWatch {

  private final Map<Long, Semaphore> waiting = new ConcurrentHashMap<>();

  /**
   * Waits up to {@code timeout} for a signal about job {@code id}.
   *
   * @return whether a signal came
   */
  boolean await(long id, Duration timeout) throws InterruptedException {
    Semaphore signal = waiting.computeIfAbsent(id, key -> new Semaphore(0));
    boolean signalled = signal.tryAcquire(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    signal.drainPermits();
    return signalled;
  }

  /** Wakes the worker waiting on job {@code id}, if it is on this instance. */
  void signal(long id) {
    Semaphore signal = waiting.get(id);
    if (signal != null) {
      signal.release();
    }
  }

  /** Forgets job {@code id} once its worker no longer waits on it. */
  void forget(long id) {
    waiting.remove(id);
  }
}
