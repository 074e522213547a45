package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.video.Delivery;
import io.reelflow.video.PlannedScene;
import io.reelflow.video.SceneMessage;
import io.reelflow.video.Scenes;
import io.reelflow.video.Video;
import io.reelflow.video.VideoOptions;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Videos planned by hand (no planner) and their scene messages, for tests that exercise
 * generation: 1:1, 480p, no music or captions, one scene per visual prompt.
 */
final class HandPlanned {

  private final Videos videos;
  private final Scenes scenes;
  private final RabbitTemplate rabbit;
  private final ObjectMapper json;
  private final TransactionTemplate transaction;

  HandPlanned(Videos videos, Scenes scenes, RabbitTemplate rabbit, ObjectMapper json,
      PlatformTransactionManager transactions) {
    this.videos = videos;
    this.scenes = scenes;
    this.rabbit = rabbit;
    this.json = json;
    this.transaction = new TransactionTemplate(transactions);
  }

  /** A video moved to 'generating' by hand with one scene of {@code sceneMs} per visual prompt. */
  List<SceneMessage> video(String user, String tier, List<String> visualPrompts, int sceneMs) {
    VideoOptions options = new VideoOptions(Math.max(1, sceneMs * visualPrompts.size() / 1000), "1:1", "480p", "ad",
        null, null, null, false, false, null, "auto");
    Video video = planning(user, tier, "Create an ad", options);
    List<PlannedScene> plan = new ArrayList<>();
    for (String prompt : visualPrompts) {
      plan.add(new PlannedScene("Headline", prompt, "A short line.", sceneMs));
    }
    return scenes.storePlan(video.id(), plan);
  }

  /**
   * A video created and moved to planning in one transaction: the video.plan message its creation
   * queues leaves at the commit, and the planning route, finding the video past 'queued', leaves it
   * to the test.
   */
  Video planning(String user, String tier, String prompt, VideoOptions options) {
    return transaction.execute(status -> {
      Video created = videos.create(user, tier, prompt, "hash-" + java.util.UUID.randomUUID(), options,
          Delivery.NONE, null);
      assertThat(videos.transition(created.id(), VideoStatus.QUEUED, VideoStatus.PLANNING, "video.planning", "test"))
          .isTrue();
      return created;
    });
  }

  /** Publishes the scenes to the paid generation queue. */
  void publish(List<SceneMessage> planned) throws Exception {
    for (SceneMessage message : planned) {
      rabbit.convertAndSend("reelflow", "scene.generate", json.writeValueAsBytes(message));
    }
  }
}
