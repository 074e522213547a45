package io.reelflow.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/moderation.camel.yaml against a fake OpenAI-compatible endpoint on the loopback
 * interface: provider choice, rules first, caller headers kept out of the call and restored,
 * failure policies on 500, timeout and garbage.
 */
class ModerationRouteTest {

  private static final String NOT_FLAGGED =
      "{\"results\":[{\"flagged\":false,\"categories\":{\"sexual\":false},\"category_scores\":{\"sexual\":0.01}}]}";
  private static final String FLAGGED_HATE =
      "{\"results\":[{\"flagged\":true,\"categories\":{\"hate\":true},\"category_scores\":{\"hate\":0.97}}]}";
  private static final String ORDINARY = "Create a 30-sec ad for a coffee brand";

  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> answer = new AtomicReference<>(NOT_FLAGGED);
  private final AtomicInteger delayMs = new AtomicInteger();
  private final List<Map<String, List<String>>> sentHeaders = new CopyOnWriteArrayList<>();
  private final List<String> sentBodies = new CopyOnWriteArrayList<>();
  private HttpServer provider;
  private CamelContext camel;

  @AfterEach
  void stop() {
    if (camel != null) {
      camel.stop();
    }
    if (provider != null) {
      provider.stop(0);
    }
  }

  @Test
  void theLocalProviderAsksTheLocalModeratorOnly() throws Exception {
    start("local", "closed");

    ModerationVerdict verdict = moderate("how to build a pipe bomb").getMessage().getBody(ModerationVerdict.class);

    assertThat(verdict.category()).isEqualTo("weapons_instructions");
    assertThat(sentBodies).isEmpty();
  }

  @Test
  void theRemoteProviderGetsOnlyOurHeadersAndTheCallerKeepsItsOwn() throws Exception {
    start("openai", "closed");

    Exchange exchange = moderate(ORDINARY);

    ModerationVerdict verdict = exchange.getMessage().getBody(ModerationVerdict.class);
    assertThat(verdict.source()).isEqualTo("remote");
    assertThat(verdict.blocked()).isFalse();
    assertThat(sentBodies.get(0)).isEqualTo("POST {\"model\":\"omni-moderation-latest\",\"input\":\"" + ORDINARY + "\"}");
    assertThat(sentHeaders.get(0).get("Authorization")).containsExactly("Bearer sk-test");
    assertThat(sentHeaders.get(0)).doesNotContainKey("Ratelimit-remaining");
    assertThat(exchange.getMessage().getHeader("RateLimit-Remaining")).isEqualTo("41");
    assertThat(exchange.getMessage().getHeader("Authorization")).isEqualTo("Bearer rf_caller_key");
    assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
  }

  @Test
  void aFlaggedAnswerBlocks() throws Exception {
    start("openai", "closed");
    answer.set(FLAGGED_HATE);

    ModerationVerdict verdict = moderate("anything").getMessage().getBody(ModerationVerdict.class);

    assertThat(verdict.category()).isEqualTo("hate");
    assertThat(verdict.source()).isEqualTo("remote");
  }

  @Test
  void theLocalRulesBlockBeforeAnyRemoteCall() throws Exception {
    start("openai", "closed");

    ModerationVerdict verdict =
        moderate("make Taylor Swift endorse our sneakers").getMessage().getBody(ModerationVerdict.class);

    assertThat(verdict.category()).isEqualTo("real_person_likeness");
    assertThat(sentBodies).isEmpty();
  }

  @Test
  void aServerErrorUnderTheClosedPolicyRefuses() throws Exception {
    start("openai", "closed");
    status.set(500);

    assertThat(moderate(ORDINARY).getException()).isInstanceOf(ModerationUnavailableException.class);
  }

  @Test
  void aServerErrorUnderTheOpenPolicyAllowsMarkedUnavailable() throws Exception {
    start("openai", "open");
    status.set(500);

    Exchange exchange = moderate(ORDINARY);

    assertThat(exchange.getMessage().getBody(ModerationVerdict.class).source()).isEqualTo("remote-unavailable");
    assertThat(exchange.getMessage().getHeader("RateLimit-Remaining")).isEqualTo("41");
  }

  @Test
  void aSlowProviderTimesOutAfterTimeoutMs() throws Exception {
    start("openai", "closed");
    delayMs.set(6000);

    long started = System.nanoTime();
    Exchange exchange = moderate(ORDINARY);

    assertThat(exchange.getException()).isInstanceOf(ModerationUnavailableException.class);
    assertThat((System.nanoTime() - started) / 1_000_000).as("gave up long before the provider answered")
        .isLessThan(5000);
  }

  @Test
  void anAnswerThatIsNotJsonCountsAsUnavailable() throws Exception {
    start("openai", "open");
    answer.set("<html>bad gateway</html>");

    assertThat(moderate(ORDINARY).getMessage().getBody(ModerationVerdict.class).source())
        .isEqualTo("remote-unavailable");
  }

  @Test
  void theLocalOutputCheckJudgesTheTranscriptAndCallsNoOne() throws Exception {
    start("local", "closed");

    ModerationVerdict fine = moderateOutput(new OutputSample("Fresh coffee\nWake up to it.", null));
    ModerationVerdict harmful = moderateOutput(new OutputSample("Step by step: build a pipe bomb at home", null));

    assertThat(fine.blocked()).isFalse();
    assertThat(harmful.category()).isEqualTo("weapons_instructions");
    assertThat(sentBodies).isEmpty();
  }

  @Test
  void theRemoteOutputCheckSendsTheTranscriptAndTheContactSheetAsOneInput() throws Exception {
    start("openai", "closed");
    answer.set(FLAGGED_HATE);
    java.nio.file.Path sheet = java.nio.file.Files.createTempFile("sheet", ".jpg");
    java.nio.file.Files.write(sheet, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});

    ModerationVerdict verdict = moderateOutput(new OutputSample("Fresh coffee", sheet));

    assertThat(verdict.category()).isEqualTo("hate");
    assertThat(sentBodies.get(0)).isEqualTo("POST {\"model\":\"omni-moderation-latest\",\"input\":["
        + "{\"type\":\"text\",\"text\":\"Fresh coffee\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,/9j/AQID\"}}]}");
    assertThat(sentHeaders.get(0).get("Authorization")).containsExactly("Bearer sk-test");
  }

  @Test
  void theRemoteOutputCheckAppliesTheLocalRulesFirst() throws Exception {
    start("openai", "closed");

    ModerationVerdict verdict = moderateOutput(new OutputSample("make Taylor Swift endorse our sneakers", null));

    assertThat(verdict.category()).isEqualTo("real_person_likeness");
    assertThat(sentBodies).isEmpty();
  }

  private ModerationVerdict moderateOutput(OutputSample sample) {
    Exchange exchange = camel.createProducerTemplate().request("direct:moderate-output",
        e -> e.getMessage().setBody(sample));
    assertThat(exchange.getException()).isNull();
    return exchange.getMessage().getBody(ModerationVerdict.class);
  }

  private Exchange moderate(String prompt) {
    return camel.createProducerTemplate().request("direct:moderate", exchange -> {
      exchange.getMessage().setBody(prompt);
      exchange.getMessage().setHeader("RateLimit-Remaining", "41");
      exchange.getMessage().setHeader("Authorization", "Bearer rf_caller_key");
      exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/v1/videos");
      exchange.getMessage().setHeader(Exchange.HTTP_URI, "/v1/videos");
    });
  }

  private void start(String providerName, String failurePolicy) throws Exception {
    provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    provider.createContext("/v1/moderations", call -> {
      sentHeaders.add(Map.copyOf(call.getRequestHeaders()));
      sentBodies.add(call.getRequestMethod() + " "
          + new String(call.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      try {
        Thread.sleep(delayMs.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
      call.getResponseHeaders().add("Content-Type", "application/json");
      call.sendResponseHeaders(status.get(), body.length);
      call.getResponseBody().write(body);
      call.close();
    });
    provider.start();

    camel = new DefaultCamelContext();
    Properties properties = new Properties();
    properties.setProperty("reelflow.moderation.provider", providerName);
    properties.setProperty("reelflow.moderation.base-url", "http://127.0.0.1:" + provider.getAddress().getPort());
    properties.setProperty("reelflow.moderation.api-key", "sk-test");
    properties.setProperty("reelflow.moderation.timeout-ms", "500");
    properties.setProperty("reelflow.moderation.failure-policy", failurePolicy);
    camel.getPropertiesComponent().setInitialProperties(properties);
    camel.getRegistry().bind("localModerator", new LocalModerator(new BagOfWordsEmbedder()));
    camel.getRegistry().bind("openAiModeration", new OpenAiModeration(new ObjectMapper(), "omni-moderation-latest"));
    RoutesLoader loader = PluginHelper.getRoutesLoader(camel);
    loader.loadRoutes(ResourceHelper.resolveResource(camel, "file:routes/error-handling.camel.yaml"));
    loader.loadRoutes(ResourceHelper.resolveResource(camel, "file:routes/moderation.camel.yaml"));
    camel.start();
  }
}
