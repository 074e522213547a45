package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reelflow.sim.ProviderSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reelflow as separate processes of the packaged jar, on their own database and vhost
 * ({@code reelflow_restart}) so no test context of this JVM takes their messages: start one,
 * wait until it is healthy, submit a video, and read the database they share.
 */
final class PackagedInstances {

  static final String DB = "jdbc:postgresql://127.0.0.1:5432/reelflow_restart";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private PackagedInstances() {}

  /** Starts the packaged jar with its API on {@code port}, its local files under {@code dir}. */
  static Process start(Path dir, ProviderSimulator sim, int port) throws Exception {
    return start(dir, sim, port, List.of());
  }

  static Process start(Path dir, ProviderSimulator sim, int port, List<String> extra) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-jar", "target/reelflow.jar",
        "--spring.profiles.active=test", "--reelflow.api.server.port=" + port, "--server.port=0",
        "--spring.datasource.url=" + DB, "--spring.rabbitmq.virtual-host=reelflow_restart",
        "--reelflow.api.local-key-file=" + dir.resolve("local-api-key"),
        "--reelflow.storage.embedded-port=0", "--reelflow.storage.embedded-directory=" + dir.resolve("s3"),
        "--reelflow.generation.work-directory=" + dir.resolve("work"),
        "--reelflow.generation.lease-seconds=4", "--reelflow.maintenance.lease-sweep-interval-ms=500",
        "--reelflow.providers.visual=sim", "--reelflow.providers.remote.sim.kind=replicate",
        "--reelflow.providers.remote.sim.base-url=" + sim.baseUrl(),
        "--reelflow.providers.remote.sim.api-key=restart-token", "--reelflow.providers.remote.sim.model=reelflow/sim:v1",
        "--reelflow.providers.remote.sim.poll-interval=100ms", "--reelflow.providers.remote.sim.slots=2"));
    List<String> overridden = extra.stream().map(arg -> arg.split("=", 2)[0]).toList();
    command.removeIf(arg -> arg.startsWith("--") && overridden.contains(arg.split("=", 2)[0]));
    command.addAll(extra);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "restart-it.log").toFile()))
        .start();
  }

  /**
   * Waits until every route of the instance on {@code port} runs: a path no route has is then 404
   * {@code not_found}. Before, while routes still start, the same path must be answered 503
   * {@code unavailable} with {@code Retry-After} (never a 404 a client would take for "gone").
   */
  static void awaitHealthy(int port) {
    HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/no-such-path")).build();
    List<String> wrong = new ArrayList<>();
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100)).until(() -> {
      HttpResponse<String> answer;
      try {
        answer = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        return false; // not listening yet
      }
      if (answer.statusCode() == 404 && answer.body().contains("\"code\":\"not_found\"")) {
        return true;
      }
      if (answer.statusCode() != 503 || !answer.body().contains("\"code\":\"unavailable\"")
          || !answer.headers().firstValue("Retry-After").equals(Optional.of("1"))) {
        wrong.add(answer.statusCode() + " " + answer.headers().map() + " " + answer.body());
      }
      return false;
    });
    assertThat(wrong).as("answers to an unknown path while the instance started").isEmpty();
  }

  static String submit(int port, String key) throws Exception {
    return submit(port, key, "");
  }

  static String submit(int port, String key, String moreFields) throws Exception {
    HttpResponse<String> accepted = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/videos"))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"Create a 30-sec ad for a harbour cafe\","
                + " \"duration_seconds\": 30, \"aspect_ratio\": \"1:1\", \"resolution\": \"480p\", \"music\": false,"
                + " \"cache\": \"off\"" + moreFields + "}", StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return accepted.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
  }

  static String query(String sql) throws SQLException {
    try (Connection c = connection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static int count(String sql) throws SQLException {
    try (Connection c = connection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static void execute(String sql) throws SQLException {
    try (Connection c = connection()) {
      c.createStatement().execute(sql);
    }
  }

  private static Connection connection() throws SQLException {
    return DriverManager.getConnection(DB, "reelflow", "reelflow");
  }
}
