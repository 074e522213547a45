package io.reelflow.intake;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.reelflow.video.Video;
import io.reelflow.video.Videos;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Queue positions of queued videos for their status documents, each counted at most once per
 * {@link #FRESHNESS} on this instance: counting is a scan of up to {@link Videos#QUEUE_HORIZON}
 * index entries, and clients poll the status of a waiting video over and over (measured: the count
 * halved the status reads a second of the newest video behind a deep queue). A position is an
 * estimate that moves anyway; the status beside it is always read fresh, so a video that left
 * the queue never shows one. Thread-safe.
 */
@Component
class QueuePositions {

  static final Duration FRESHNESS = Duration.ofSeconds(1);

  private final Videos videos;
  private final Cache<UUID, Integer> positions =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(FRESHNESS).build();

  QueuePositions(Videos videos) {
    this.videos = videos;
  }

  /** The position of a queued {@code video} (1: next), at most {@link #FRESHNESS} old. */
  int of(Video video) {
    return positions.get(video.id(), id -> videos.queuePosition(video.createdAt()));
  }
}
