package io.reelflow.intake;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event streams one instance serves at once: each open stream holds a request thread, so
 * beyond {@code max} a new stream is refused with 503 {@code too_many_streams} and the client
 * retries or polls the status instead. Thread-safe.
 */
final class StreamSlots {

  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  StreamSlots(int max) {
    this.max = max;
  }

  /**
   * Takes a slot; give it back with {@link #release()} when the stream closes.
   *
   * @throws ApiException 503 {@code too_many_streams} when all slots are taken
   */
  void acquire() {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      throw new ApiException(503, "too_many_streams", "Too many streams",
          "this instance serves " + max + " event streams; retry shortly or poll the status", List.of())
          .withHeaders(Map.of("Retry-After", "5"));
    }
  }

  void release() {
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }
}
