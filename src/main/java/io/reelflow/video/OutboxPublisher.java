package io.reelflow.video;

import io.reelflow.video.Outbox.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Publishes a claimed outbox batch to the exchange on one channel and waits once for the broker's
 * confirms of the whole batch; the relay route then marks the batch published in one statement.
 * The messages are those camel-spring-rabbitmq sends for a text body (text/plain, UTF-8,
 * persistent), with the entry's priority if it has one, so the consuming routes see no difference.
 *
 * <p>Why not the spring-rabbitmq endpoint once per entry, as before: it waits for each message's
 * confirm (for a persistent message, a write of the broker's) and the route marked each entry
 * with a commit of its own, so one relay published about 540 entries a second on an idle machine,
 * fewer than the API accepts (docs/benchmarks.md). If the broker does not confirm the batch in
 * time, nothing is marked: the batch is published again once its claim lapses (consumers are
 * idempotent).
 */
@Component("outboxPublisher")
public class OutboxPublisher {

  private final RabbitTemplate rabbit;
  private final String exchange;
  private final Duration confirmTimeout;

  OutboxPublisher(RabbitTemplate rabbit, @Value("${reelflow.queues.exchange}") String exchange,
      @Value("${reelflow.outbox.confirm-timeout}") Duration confirmTimeout) {
    this.rabbit = rabbit;
    this.exchange = exchange;
    this.confirmTimeout = confirmTimeout;
  }

  /**
   * Publishes {@code entries} in order and returns their ids once the broker confirmed all of them.
   *
   * @throws AmqpException when the broker refused any of them or did not confirm in time
   */
  public List<Long> publish(List<Entry> entries) {
    if (entries.isEmpty()) {
      return List.of();
    }
    Boolean confirmed = rabbit.invoke(channel -> {
      for (Entry entry : entries) {
        channel.send(exchange, entry.destination(), message(entry));
      }
      return channel.waitForConfirms(confirmTimeout.toMillis());
    });
    if (!Boolean.TRUE.equals(confirmed)) {
      throw new AmqpException("the broker did not confirm " + entries.size() + " outbox entries within " + confirmTimeout
          + "; they are published again when their claim lapses");
    }
    return entries.stream().map(Entry::id).toList();
  }

  static Message message(Entry entry) {
    byte[] body = entry.payload().getBytes(StandardCharsets.UTF_8);
    MessageProperties properties = new MessageProperties();
    properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
    properties.setContentEncoding(StandardCharsets.UTF_8.name());
    properties.setContentLength(body.length);
    if (entry.priority() != null) {
      properties.setPriority(entry.priority());
    }
    return new Message(body, properties);
  }
}
