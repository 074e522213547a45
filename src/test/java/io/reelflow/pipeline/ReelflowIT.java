package io.reelflow.pipeline;

import io.reelflow.intake.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole application against the real PostgreSQL (reelflow_test), RabbitMQ (vhost
 * reelflow_test), the in-process S3 server and ffmpeg. One Spring context is shared by every
 * subclass.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class ReelflowIT {

  protected static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The operators' port (Spring's server: actuator, Hawtio). */
  @LocalServerPort protected int opsPort;
  /** The API's port (Vert.x: the API, provider webhooks, the page). */
  protected int port;
  @Autowired protected ApiKeys apiKeys;
  @Autowired private CamelContext camel;

  @BeforeEach
  void findTheApiPort() {
    port = camel.hasService(VertxPlatformHttpServer.class).getServer().actualPort();
  }

  /** A test's body that may throw. */
  protected interface Body {
    void run() throws Exception;
  }

  /**
   * Runs {@code body} with the outbox relay stopped, so that the outbox rows it writes stay to be
   * read (the relay deletes a row once published), then starts the relay again. Its wake timer
   * stops first: a stopping relay runs the wakes queued for it until none is left, and the timer
   * would queue one every poll interval, keeping the stop waiting for its whole timeout.
   */
  protected void withRelayStopped(Body body) throws Exception {
    camel.getRouteController().stopRoute("maintenance-wake-outbox-relay");
    camel.getRouteController().stopRoute("maintenance-relay-outbox");
    try {
      body.run();
    } finally {
      camel.getRouteController().startRoute("maintenance-relay-outbox");
      camel.getRouteController().startRoute("maintenance-wake-outbox-relay");
    }
  }

  protected String newKey() {
    return newKey("pro");
  }

  protected String newKey(String tier) {
    return apiKeys.create("it-" + UUID.randomUUID(), tier, "integration test");
  }

  protected HttpRequest.Builder request(String path, String key) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key);
  }

  protected HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected HttpResponse<String> post(String path, String key, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  protected HttpResponse<String> get(String path, String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code path} on the API's port, or on the operators' port for {@code /actuator}. */
  protected URI uri(String path) {
    return URI.create("http://127.0.0.1:" + (path.startsWith("/actuator") ? opsPort : port) + path);
  }
}
