package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.generation.SceneQueues;
import io.reelflow.video.PlannedScene;
import io.reelflow.video.SceneMessage;
import io.reelflow.video.Scenes;
import io.reelflow.video.Video;
import io.reelflow.video.VideoOptions;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** At-least-once transport, once-only outcomes: what duplicate and stray messages do. */
class SceneMessagesIT extends ReelflowIT {

  @Autowired Videos videos;
  @Autowired Scenes scenes;
  @Autowired RabbitTemplate rabbit;
  @Autowired JdbcClient jdbc;
  @Autowired ObjectMapper json;
  @Autowired CamelContext camel;
  @Autowired PlatformTransactionManager transactions;
  @Autowired SceneQueues sceneQueues;

  @Test
  void aDuplicateSceneMessageDoesNotRenderTheSceneTwice() throws Exception {
    SceneMessage scene = aGeneratingVideoWithOneScene();
    NotifyBuilder bothHandled = new NotifyBuilder(camel).fromRoute("generation-render-scene").whenDone(2).create();

    byte[] payload = json.writeValueAsBytes(scene);
    rabbit.convertAndSend("reelflow", "scene.generate", payload);
    rabbit.convertAndSend("reelflow", "scene.generate", payload);

    assertThat(bothHandled.matches(2, TimeUnit.MINUTES)).isTrue();
    await().atMost(Duration.ofMinutes(2))
        .until(() -> videos.find(scene.videoId()).orElseThrow().status(), s -> s == VideoStatus.SUCCEEDED);
    assertThat(count("select count(*) from job_events where scene_id = ? and event_type = 'scene.started'", scene.sceneId()))
        .isEqualTo(1);
    assertThat(count("select count(*) from assets where scene_id = ?", scene.sceneId()))
        .as("clip, voice-over and the video's music bed, once each").isEqualTo(3);
    assertThat(count("select count(*) from provider_jobs where scene_id = ?", scene.sceneId()))
        .as("one provider call per capability").isEqualTo(3);
    assertThat(count("select count(*) from scenes where id = ? and retry_count = 0", scene.sceneId())).isEqualTo(1);
  }

  @Test
  void aPlansSceneMessagesAreWrittenWithItsScenesAndCarryTheTiersPriority() {
    Video video = new HandPlanned(videos, scenes, rabbit, json, transactions)
        .planning("it-" + UUID.randomUUID(), "pro", "Create a 2-sec ad for socks", new VideoOptions(2, "1:1", "480p"));
    List<PlannedScene> plan = List.of(new PlannedScene("Socks", "Socks on a line", "Socks.", 1000),
        new PlannedScene("Warm", "Socks by a fire", "Warm feet.", 1000));
    TransactionTemplate transaction = new TransactionTemplate(transactions);

    transaction.executeWithoutResult(status -> {
      scenes.savePlan(video.id(), plan, sceneQueues.ofTier("pro"));
      status.setRollbackOnly();
    });
    assertThat(count("select count(*) from scenes where video_id = ?", video.id())).isZero();
    assertThat(count("select count(*) from outbox where aggregate_id = ? and destination like 'scene.generate%'",
        video.id())).as("a plan rolled back leaves no message naming its scenes").isZero();

    // read in the plan's own transaction: once it commits, the relay may publish and delete the rows at once
    List<String> written = new ArrayList<>();
    List<SceneMessage> planned = transaction.execute(status -> {
      List<SceneMessage> saved = scenes.savePlan(video.id(), plan, sceneQueues.ofTier("pro"));
      written.addAll(jdbc.sql("select destination, priority, (payload->>'sceneId')::uuid as scene from outbox"
              + " where aggregate_id = ? and destination like 'scene.generate%' order by id")
          .param(video.id())
          .query((rs, n) -> rs.getString("destination") + " " + rs.getInt("priority") + " " + rs.getObject("scene"))
          .list());
      return saved;
    });

    assertThat(planned).hasSize(2);
    assertThat(written)
        .as("one message per scene, in order, on the paid queue with the pro tier's priority (5)")
        .containsExactly("scene.generate 5 " + planned.get(0).sceneId(), "scene.generate 5 " + planned.get(1).sceneId());
    await().atMost(Duration.ofMinutes(2))
        .until(() -> videos.find(video.id()).orElseThrow().status(), s -> s == VideoStatus.SUCCEEDED);
    assertThat(count("select count(*) from outbox where aggregate_id = ?", video.id()))
        .as("every message of the video published and its row deleted").isZero();
  }

  @Test
  void aSceneDoneMessageForAnUnknownVideoIsDeadLetteredNotRetried() throws Exception {
    while (rabbit.receive("scene.done.dlq") != null) {
      // drain what earlier runs left
    }
    SceneMessage stray = new SceneMessage(UUID.randomUUID(), UUID.randomUUID(), 3);

    rabbit.convertAndSend("reelflow", "scene.done", json.writeValueAsBytes(stray));

    Message dead = rabbit.receive("scene.done.dlq", 30_000);
    assertThat(dead).isNotNull();
    assertThat(json.readValue(dead.getBody(), SceneMessage.class)).isEqualTo(stray);
    assertThat(dead.getMessageProperties().getXDeathHeader()).hasSize(1);
    assertThat(dead.getMessageProperties().getXDeathHeader().get(0).get("count")).isEqualTo(1L);
  }

  /** A video moved to 'generating' by hand, so no planner publishes its scene. */
  private SceneMessage aGeneratingVideoWithOneScene() {
    Video video = new HandPlanned(videos, scenes, rabbit, json, transactions)
        .planning("it-" + UUID.randomUUID(), "free", "Create a 5-sec ad for socks", new VideoOptions(5, "1:1", "480p"));
    List<SceneMessage> planned = scenes.storePlan(video.id(),
        List.of(new PlannedScene("Socks that last", "Socks on a washing line", "Socks that last all year.", 5000)));
    return planned.get(0);
  }

  private int count(String sql, UUID id) {
    return jdbc.sql(sql).param(id).query(Integer.class).single();
  }
}
