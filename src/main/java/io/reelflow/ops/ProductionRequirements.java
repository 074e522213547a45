package io.reelflow.ops;

import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * Refuses to start the {@code production} profile until every setting it takes from the
 * environment is there, naming the missing ones, before anything tries to connect with a
 * placeholder for a URL. Registered in {@code META-INF/spring.factories}.
 */
public class ProductionRequirements implements EnvironmentPostProcessor {

  static final List<String> REQUIRED = List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
      "SPRING_DATASOURCE_PASSWORD", "SPRING_RABBITMQ_HOST", "SPRING_RABBITMQ_USERNAME", "SPRING_RABBITMQ_PASSWORD",
      "REELFLOW_STORAGE_ENDPOINT", "REELFLOW_STORAGE_ACCESS_KEY", "REELFLOW_STORAGE_SECRET_KEY",
      "REELFLOW_NOTIFICATIONS_PUBLIC_BASE_URL", "REELFLOW_NOTIFICATIONS_MAIL_HOST", "REELFLOW_ADMIN_TOKEN");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.acceptsProfiles(Profiles.of("production"))) {
      return;
    }
    List<String> missing = REQUIRED.stream()
        .filter(name -> environment.getProperty(name) == null || environment.getProperty(name).isBlank())
        .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the production profile needs these environment variables: "
          + String.join(", ", missing));
    }
  }
}
