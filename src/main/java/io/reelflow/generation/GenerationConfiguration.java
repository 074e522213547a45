package io.reelflow.generation;

import org.apache.camel.CamelContext;
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
 */
@Configuration(proxyBeanMethods = false)
class GenerationConfiguration {

  @Bean
  CamelContextConfiguration sceneBranchesProfile() {
    return new CamelContextConfiguration() {
      @Override
      public void beforeApplicationStart(CamelContext context) {
        context.getExecutorServiceManager().registerThreadPoolProfile(
            new ThreadPoolProfileBuilder("sceneBranches")
                .poolSize(2)
                .maxPoolSize(1000)
                .maxQueueSize(0)
                .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns)
                .build());
      }

      @Override
      public void afterApplicationStart(CamelContext context) {}
    };
  }
}
