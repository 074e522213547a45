package io.reelflow.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares Reelflow's RabbitMQ topology in one place: a durable direct exchange, one durable
 * queue per stage routed by its own name, and for each a dead-letter queue ({@code <queue>.dlq})
 * behind a dead-letter exchange. {@code scene.generate} is a priority queue. Spring AMQP's admin
 * declares it on every (re)connection; Camel endpoints only use it ({@code autoDeclare=false}).
 */
@Configuration(proxyBeanMethods = false)
class QueueTopology {

  static final List<String> QUEUES = List.of("video.plan", "scene.generate", "scene.generate.free", "scene.done", "video.compose", "notify.send");

  @Bean
  Declarables reelflowTopology(
      @Value("${reelflow.queues.exchange}") String exchangeName,
      @Value("${reelflow.queues.dead-letter-exchange}") String deadLetterName,
      @Value("${reelflow.queues.max-priority}") int maxPriority) {
    DirectExchange exchange = new DirectExchange(exchangeName, true, false);
    DirectExchange deadLetters = new DirectExchange(deadLetterName, true, false);
    List<Declarable> declarables = new ArrayList<>(List.of(exchange, deadLetters));
    for (String name : QUEUES) {
      Map<String, Object> args = new HashMap<>();
      args.put("x-dead-letter-exchange", deadLetterName);
      args.put("x-dead-letter-routing-key", name);
      if (name.equals("scene.generate")) {
        args.put("x-max-priority", maxPriority);
      }
      Queue queue = new Queue(name, true, false, false, args);
      Queue deadLetterQueue = new Queue(name + ".dlq", true, false, false);
      Binding binding = BindingBuilder.bind(queue).to(exchange).with(name);
      Binding deadLetterBinding = BindingBuilder.bind(deadLetterQueue).to(deadLetters).with(name);
      declarables.addAll(List.of(queue, deadLetterQueue, binding, deadLetterBinding));
    }
    return new Declarables(declarables);
  }
}
