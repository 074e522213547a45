package io.reelflow.generation;

import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The thread pool profile {@code sceneBranches} that runs a scene's capabilities side by side
 * (the multicast in {@code routes/generation.camel.yaml}). It grows on demand instead of queueing:
 * each branch mostly waits for a provider slot or a provider, and the slots, not this pool, bound
 * the work; a queueing pool would hold a scene's speech behind other scenes' visuals. (A profile,
 * not an ExecutorService bean: an Executor bean would switch off Spring Boot's task executor.)
 *
 * <p>Also the idempotent repository {@code webhookIds} of the provider webhook route: webhook ids
 * already received, in {@code processed_messages} (rows expire after the retention window).
 */
@Configuration(proxyBeanMethods = false)
class GenerationConfiguration {

  @Bean
  IdempotentRepository webhookIds(DataSource dataSource) {
    JdbcMessageIdRepository ids = new JdbcMessageIdRepository(dataSource, "provider-webhooks");
    ids.setCreateTableIfNotExists(false);
    ids.setTableName("processed_messages");
    ids.setQueryString("select count(*) from processed_messages where processorname = ? and messageid = ?");
    // A concurrent duplicate finds the row and adds nothing; the inbox then refuses it too.
    ids.setInsertString("insert into processed_messages (processorname, messageid, createdat) values (?, ?, ?)"
        + " on conflict do nothing");
    ids.setDeleteString("delete from processed_messages where processorname = ? and messageid = ?");
    ids.setClearString("delete from processed_messages where processorname = ?");
    return ids;
  }

  @Bean
  CamelContextConfiguration sceneBranchesProfile() {
    return new CamelContextConfiguration() {
      @Override
      public void beforeApplicationStart(CamelContext context) {
        context.getExecutorServiceManager().registerThreadPoolProfile(growing("sceneBranches", 1000));
      }

      @Override
      public void afterApplicationStart(CamelContext context) {}
    };
  }

  private static org.apache.camel.spi.ThreadPoolProfile growing(String name, int max) {
    return new ThreadPoolProfileBuilder(name).poolSize(2).maxPoolSize(max).maxQueueSize(0)
        .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns).build();
  }
}
