package io.reelflow.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelflow.video.Outbox.Entry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;

class OutboxPublisherTest {

  @Test
  void anEntrysPriorityIsTheMessagesAndAnEntryWithoutOneGetsTheLowest() {
    Message scene = OutboxPublisher.message(new Entry(1, "scene.generate", 8, "{\"sceneId\":\"s\"}"));
    Message done = OutboxPublisher.message(new Entry(2, "scene.done", null, "{}"));

    assertThat(scene.getMessageProperties().getPriority()).isEqualTo(8);
    assertThat(done.getMessageProperties().getPriority()).as("Spring AMQP's default").isZero();
    assertThat(new String(scene.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"sceneId\":\"s\"}");
    assertThat(scene.getMessageProperties().getContentType()).isEqualTo("text/plain");
    assertThat(scene.getMessageProperties().getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
  }
}
