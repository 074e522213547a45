package io.reelflow.ops;

import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Threads for RabbitMQ deliveries. Camel's listeners run on the RabbitMQ client's consumer pool,
 * which by default has two threads per core: on a two-core machine four listeners in all, so
 * scenes waiting for providers would hold the few threads every stage shares and the configured
 * consumer counts ({@code generation.workers}, the barrier's, composition's) would never all run.
 * This gives the connection factory a pool that grows with the listeners.
 */
@Configuration(proxyBeanMethods = false)
class ConsumerThreads {

  @Bean
  static BeanPostProcessor consumerThreadPool() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) {
        if (bean instanceof AbstractConnectionFactory factory) {
          AtomicInteger count = new AtomicInteger();
          factory.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "amqp-consumer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          }));
        }
        return bean;
      }
    };
  }
}
