package io.reelflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Every route file follows the house rules a reader relies on (STYLE.md). */
class RouteConventionsTest {

  static final Path ROUTES = Path.of("routes");
  static final Set<String> STAGES =
      Set.of("intake", "planning", "generation", "barrier", "composition", "notifications", "maintenance", "admin");

  @Test
  void everyStageHasItsOwnFileStartingWithAHeader() throws IOException {
    for (String stage : STAGES) {
      Path file = ROUTES.resolve(stage + ".camel.yaml");
      assertThat(file).exists();
      assertThat(Files.readString(file)).startsWith("# ");
    }
  }

  @Test
  void everyRouteIsNamedForItsStageAndNamesASharedRouteConfiguration() throws IOException {
    Set<String> configurations = routeConfigurationIds();
    List<String> ids = new ArrayList<>();
    for (Path file : stageFiles()) {
      String stage = file.getFileName().toString().replace(".camel.yaml", "");
      for (Map<String, Object> route : elements(file, "route")) {
        String id = (String) route.get("id");
        assertThat(id).as("route in %s", file).matches(stage + "-[a-z]+(-[a-z]+)*");
        assertThat((String) route.get("routeConfigurationId")).as(id).isNotBlank();
        assertThat(((String) route.get("routeConfigurationId")).split(",")).as(id).isSubsetOf(configurations);
        ids.add(id);
      }
    }
    assertThat(ids).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(STAGES.size());
  }

  @Test
  void productionRoutesHaveNoMockEndpointsOrInlineScripts() throws IOException {
    for (Path file : stageFiles()) {
      String text = Files.readString(file);
      assertThat(text).as(file.toString()).doesNotContain("mock:").doesNotContain("groovy:").doesNotContain("js:");
    }
  }

  private static Set<String> routeConfigurationIds() throws IOException {
    return elements(ROUTES.resolve("error-handling.camel.yaml"), "routeConfiguration").stream()
        .map(c -> (String) c.get("id"))
        .collect(Collectors.toSet());
  }

  private static List<Path> stageFiles() throws IOException {
    try (Stream<Path> files = Files.list(ROUTES)) {
      return files.filter(f -> f.toString().endsWith(".camel.yaml"))
          .filter(f -> !f.getFileName().toString().startsWith("error-handling"))
          .sorted()
          .toList();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> elements(Path file, String kind) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      List<Map<String, Object>> top = new Yaml().load(reader);
      return top.stream().filter(e -> e.containsKey(kind)).map(e -> (Map<String, Object>) e.get(kind)).toList();
    }
  }
}
