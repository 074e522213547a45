package io.reelflow.generation;

import io.reelflow.video.SceneMessage;
import io.reelflow.video.UnknownVideoException;
import io.reelflow.video.Video;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import io.reelflow.video.Scenes;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The barrier of {@code routes/barrier.camel.yaml}. Aggregates scene-done messages per video into
 * the set of finished scene ids (so a duplicate message counts once) and completes when the set
 * holds every scene. Opening the barrier is a compare-and-set on the video, so it happens once
 * even if two instances complete the same aggregate.
 */
@Component("sceneBarrier")
public class SceneBarrier implements AggregationStrategy {

  /** Header with the number of scenes the video has. */
  public static final String SCENE_COUNT = "sceneCount";

  private final Videos videos;
  private final Scenes scenes;

  SceneBarrier(Videos videos, Scenes scenes) {
    this.videos = videos;
    this.scenes = scenes;
  }

  /**
   * Whether a scene-done message still matters: the video exists and is generating.
   *
   * @throws UnknownVideoException for an unknown video, which dead-letters the message
   */
  public boolean admit(SceneMessage message) {
    Video video = videos.find(message.videoId()).orElseThrow(() -> new UnknownVideoException(message.videoId()));
    return video.status() == VideoStatus.GENERATING;
  }

  @Override
  public Exchange aggregate(Exchange aggregate, Exchange next) {
    SceneMessage message = next.getMessage().getBody(SceneMessage.class);
    Exchange target = aggregate == null ? next : aggregate;
    @SuppressWarnings("unchecked")
    TreeSet<String> done =
        aggregate == null ? new TreeSet<>() : aggregate.getMessage().getBody(TreeSet.class);
    done.add(message.sceneId().toString());
    target.getMessage().setBody(done);
    target.getMessage().setHeader(SCENE_COUNT, message.sceneCount());
    return target;
  }

  /**
   * Completion predicate: every scene of the video is in the set, and every scene's row says it
   * succeeded. The second check matters once a video is edited: a late copy of an earlier run's
   * scene-done message for a scene being generated again must not open the barrier before that
   * scene is done; its own message then completes the set.
   */
  public boolean isComplete(Exchange exchange) {
    TreeSet<?> done = exchange.getMessage().getBody(TreeSet.class);
    Integer count = exchange.getMessage().getHeader(SCENE_COUNT, Integer.class);
    UUID videoId = exchange.getMessage().getHeader("videoId", UUID.class);
    return done != null && count != null && done.size() >= count && (videoId == null || scenes.allSucceeded(videoId));
  }
}
