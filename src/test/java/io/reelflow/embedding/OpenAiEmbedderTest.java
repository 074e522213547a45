package io.reelflow.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.reelflow.net.LocalServer;
import io.reelflow.provider.ProviderHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote embedder against a local server that speaks OpenAI's {@code /v1/embeddings}: a
 * vector is normalised and named by model and dimension; a wrong length, garbage, a 429 and a
 * timeout are {@link EmbeddingUnavailableException}; repeated failures open the circuit so calls
 * stop reaching the server.
 */
class OpenAiEmbedderTest {

  record Scripted(int status, String body, long delayMs) {}

  static final ObjectMapper JSON = new ObjectMapper();
  static final Deque<Scripted> ANSWERS = new ConcurrentLinkedDeque<>();
  static final List<JsonNode> REQUESTS = Collections.synchronizedList(new ArrayList<>());
  static LocalServer server;
  static DefaultCamelContext camel;
  static ProviderHttp http;

  @BeforeAll
  static void start() throws Exception {
    server = new LocalServer().on("/v1/embeddings", exchange -> {
      REQUESTS.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
      Scripted next = ANSWERS.poll();
      if (next == null) {
        next = new Scripted(500, "{}", 0);
      }
      try {
        Thread.sleep(next.delayMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = next.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(next.status(), body.length);
      exchange.getResponseBody().write(body);
    });
    camel = new DefaultCamelContext();
    camel.start();
    http = new ProviderHttp(camel.createProducerTemplate());
  }

  @AfterAll
  static void stop() {
    server.close();
    camel.stop();
  }

  @BeforeEach
  void clear() {
    ANSWERS.clear();
    REQUESTS.clear();
  }

  @Test
  void aVectorIsNormalisedAndNamedByModelAndDimension() {
    OpenAiEmbedder embedder = embedder(3, true, CircuitBreaker.ofDefaults("embedder"));
    ANSWERS.add(new Scripted(200, vector(3.0, 0.0, 4.0), 0));

    float[] vector = embedder.embed("a cup of coffee");

    assertThat(vector).containsExactly(0.6f, 0.0f, 0.8f);
    assertThat(embedder.model()).isEqualTo("text-embedding-3-small:3");
    assertThat(embedder.dimension()).isEqualTo(3);
    JsonNode request = REQUESTS.get(0);
    assertThat(request.get("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(request.get("input").asText()).isEqualTo("a cup of coffee");
    assertThat(request.get("dimensions").asInt()).isEqualTo(3);
  }

  @Test
  void dimensionsAreOnlySentWhenAsked() {
    OpenAiEmbedder embedder = embedder(2, false, CircuitBreaker.ofDefaults("embedder"));
    ANSWERS.add(new Scripted(200, vector(1.0, 0.0), 0));

    embedder.embed("tea");

    assertThat(REQUESTS.get(0).has("dimensions")).isFalse();
  }

  @Test
  void wrongLengthGarbageRateLimitsAndTimeoutsAreUnavailable() {
    OpenAiEmbedder embedder = embedder(3, false, CircuitBreaker.ofDefaults("embedder"));
    ANSWERS.add(new Scripted(200, vector(1.0, 2.0), 0));
    ANSWERS.add(new Scripted(200, "I am not JSON", 0));
    ANSWERS.add(new Scripted(200, "{\"data\": [{\"embedding\": [1, \"two\", 3]}]}", 0));
    ANSWERS.add(new Scripted(429, "{\"error\": {\"message\": \"slow down\"}}", 0));
    ANSWERS.add(new Scripted(200, vector(1.0, 2.0, 3.0), 2_000));

    assertThatThrownBy(() -> embedder.embed("x")).isInstanceOf(EmbeddingUnavailableException.class)
        .hasMessageContaining("expected a vector of 3 numbers, got 2");
    assertThatThrownBy(() -> embedder.embed("x")).isInstanceOf(EmbeddingUnavailableException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> embedder.embed("x")).isInstanceOf(EmbeddingUnavailableException.class)
        .hasMessageContaining("non-number at 1");
    assertThatThrownBy(() -> embedder.embed("x")).isInstanceOf(EmbeddingUnavailableException.class)
        .hasMessageContaining("answered 429");
    assertThatThrownBy(() -> embedder.embed("x")).isInstanceOf(EmbeddingUnavailableException.class)
        .hasMessageContaining("no answer");
  }

  @Test
  void failuresOpenTheCircuitAndCallsStopReachingTheServer() {
    CircuitBreaker breaker = CircuitBreaker.of("embedder", CircuitBreakerConfig.custom()
        .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMinutes(1)).build());
    OpenAiEmbedder embedder = embedder(3, false, breaker);
    for (int i = 0; i < 6; i++) {
      assertThatThrownBy(() -> embedder.embed("x")).isInstanceOf(EmbeddingUnavailableException.class);
    }
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(REQUESTS).hasSize(4);
  }

  private static OpenAiEmbedder embedder(int dimensions, boolean send, CircuitBreaker breaker) {
    EmbeddingSettings settings = new EmbeddingSettings("openai", server.url(""),
        "sk-test", "text-embedding-3-small", dimensions, send, Duration.ofMillis(800));
    return new OpenAiEmbedder(settings, http, JSON, breaker);
  }

  private static String vector(double... values) {
    StringBuilder numbers = new StringBuilder();
    for (double v : values) {
      numbers.append(numbers.length() == 0 ? "" : ",").append(v);
    }
    return "{\"object\": \"list\", \"data\": [{\"object\": \"embedding\", \"index\": 0, \"embedding\": [" + numbers
        + "]}], \"model\": \"text-embedding-3-small\", \"usage\": {\"prompt_tokens\": 4, \"total_tokens\": 4}}";
  }
}
