package io.reelflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps {@code docker/compose.yaml} honest without a Docker engine: every variable it gives the
 * app names a configuration key the app has (Spring's relaxed binding of environment variables),
 * the production profile's required variables are all set, and the services the app talks to are
 * there.
 */
class ComposeFileTest {

  /** Keys under these prefixes are maps or lists: their entries are not in the configuration file. */
  private static final List<String> OPEN_PREFIXES = List.of("REELFLOW_PROVIDERS_REMOTE_", "REELFLOW_PROVIDERS_SLOTS_",
      "REELFLOW_HOUSEKEEPING_RETENTION_", "REELFLOW_API_TIERS_");

  @Test
  @SuppressWarnings("unchecked")
  void everyVariableTheAppGetsNamesOneOfItsSettings() throws IOException {
    Map<String, Object> compose = load(Path.of("docker", "compose.yaml"));
    Map<String, Object> app = (Map<String, Object>) compose.get("x-reelflow");
    Map<String, Object> environment = (Map<String, Object>) app.get("environment");
    Set<String> known = new HashSet<>();
    for (String file : List.of("application.yaml", "application-production.yaml")) {
      flatten("", load(Path.of("config", file)), known);
    }

    for (String variable : environment.keySet()) {
      if (variable.equals("JAVA_OPTS") || variable.equals("SPRING_PROFILES_ACTIVE")
          || OPEN_PREFIXES.stream().anyMatch(variable::startsWith)) {
        continue;
      }
      assertThat(known).as("%s names a setting in config/", variable).contains(variable);
    }
    assertThat(environment.keySet()).as("what the production profile requires")
        .containsAll(ProductionRequirements.REQUIRED);
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).containsKeys("postgres", "rabbitmq", "minio", "mailpit", "provider-sim", "reelflow-1",
        "reelflow-2", "lb");
    assertThat(Files.readString(Path.of("docker", "nginx.conf"))).contains("reelflow-1:8080", "reelflow-2:8080",
        "proxy_buffering off");
  }

  /** Adds the environment-variable form of every key: reelflow.storage.access-key -> REELFLOW_STORAGE_ACCESS_KEY. */
  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> yaml, Set<String> into) {
    yaml.forEach((key, value) -> {
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      if (value instanceof Map<?, ?> nested) {
        flatten(path, (Map<String, Object>) nested, into);
      } else {
        into.add(path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
      }
    });
  }

  private static Map<String, Object> load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new Yaml().load(in);
    }
  }
}
