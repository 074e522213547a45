package io.reelflow.generation;

import javax.sql.DataSource;
import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The barrier's durable state: Camel's {@link JdbcAggregationRepository} on the Flyway-owned
 * {@code scene_barrier} tables, with optimistic locking so several instances can share it.
 */
@Configuration(proxyBeanMethods = false)
class BarrierConfiguration {

  @Bean
  JdbcAggregationRepository sceneBarrierRepository(DataSource dataSource, PlatformTransactionManager tx) {
    JdbcAggregationRepository repository = new JdbcAggregationRepository(tx, "scene_barrier", dataSource);
    repository.setUseRecovery(false);
    // Keep the UUID videoId header across the database round trip (java.** passes the filter).
    repository.setAllowSerializedHeaders(true);
    return repository;
  }
}
