package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelflow.video.Delivery;
import io.reelflow.video.Video;
import io.reelflow.video.VideoOptions;
import io.reelflow.video.VideoStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VideoViewsTest {

  @Test
  void progressFollowsTheStageAndTheFinishedScenes() {
    List<Map<String, Object>> halfDone = List.of(Map.of("status", "succeeded"), Map.of("status", "generating"));

    assertThat(VideoViews.progress(video(VideoStatus.QUEUED), List.of())).isZero();
    assertThat(VideoViews.progress(video(VideoStatus.PLANNING), List.of())).isEqualTo(5);
    assertThat(VideoViews.progress(video(VideoStatus.GENERATING), halfDone)).isEqualTo(47);
    assertThat(VideoViews.progress(video(VideoStatus.COMPOSING), halfDone)).isEqualTo(90);
    assertThat(VideoViews.progress(video(VideoStatus.SUCCEEDED), halfDone)).isEqualTo(100);
  }

  @Test
  void aFailedVideoKeepsTheShareItsScenesReachedInsteadOfClaimingCompletion() {
    List<Map<String, Object>> allDone = List.of(Map.of("status", "succeeded"), Map.of("status", "succeeded"));

    assertThat(VideoViews.progress(video(VideoStatus.FAILED), allDone)).isEqualTo(85);
    assertThat(VideoViews.progress(video(VideoStatus.FAILED), List.of())).isZero();
  }

  private static Video video(VideoStatus status) {
    OffsetDateTime now = OffsetDateTime.now();
    return new Video(UUID.randomUUID(), "u", "free", "p", new VideoOptions(10, "16:9", "720p"), Delivery.NONE, status,
        2, null, null, null, null, null, null, null, null, null, now, now, null, 0);
  }
}
