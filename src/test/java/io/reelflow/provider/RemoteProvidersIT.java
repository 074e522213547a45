package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.sim.ProviderSimulator;
import io.reelflow.sim.SimulatorSettings;
import io.reelflow.video.ImageType;
import io.reelflow.video.SceneJob;
import io.reelflow.video.VideoOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote adapters against the provider simulator, over camel-http, with real ffmpeg. */
class RemoteProvidersIT {

  static ProviderSimulator sim;
  static DefaultCamelContext camel;
  static ProviderHttp http;
  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalMediaSettings MEDIA =
      new LocalMediaSettings("ffmpeg", "espeak-ng", "en-us", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 1,
          Duration.ofSeconds(60), 0);

  @TempDir Path work;

  @BeforeAll
  static void start() {
    sim = ProviderSimulator.start(SimulatorSettings.defaults().withSlots(2).withToken("t0k")
        .withFixedLatency(Duration.ofMillis(200)).withRefusalMarker("forbidden"));
    camel = new DefaultCamelContext();
    camel.getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
    camel.start();
    http = new ProviderHttp(camel.createProducerTemplate());
  }

  @AfterAll
  static void stop() {
    camel.stop();
    sim.close();
  }

  @Test
  void replicateVisualRunsAsAJobAndItsStillIsKeptAsItCameForTheComposition() throws Exception {
    ReplicateVisualProvider provider = replicate("t0k");
    SceneJob scene = scene("A lighthouse at dusk", 1500);

    ProviderResult first = provider.start(scene, work, "key-" + UUID.randomUUID());
    assertThat(first).isInstanceOf(ProviderResult.Running.class);
    String jobId = ((ProviderResult.Running) first).jobId();
    ProviderResult result = first;
    for (int i = 0; i < 100 && result instanceof ProviderResult.Running; i++) {
      Thread.sleep(50);
      result = provider.poll(jobId);
    }

    assertThat(result).as("a finished job whose output waits to be fetched").isInstanceOf(ProviderResult.Ready.class);
    RenderedMedia media = provider.fetch(scene, work, (ProviderResult.Ready) result);
    assertThat(media.file()).exists();
    assertThat(media.assetType() + " " + media.contentType()).isEqualTo("image image/png");
    assertThat(media.durationMs()).as("the scene's length, which the composition pans it for").isEqualTo(1500);
    assertThat(ImageType.sniff(Files.readAllBytes(media.file()))).contains(ImageType.PNG);
    assertThat(media.file().getFileName().toString()).endsWith(".png");
  }

  @Test
  void theSameIdempotencyKeyNeverStartsASecondGeneration() {
    ReplicateVisualProvider provider = replicate("t0k");
    SceneJob scene = scene("A kettle", 1000);
    String key = "key-" + UUID.randomUUID();

    String first = ((ProviderResult.Running) provider.start(scene, work, key)).jobId();
    String second = ((ProviderResult.Running) provider.start(scene, work, key)).jobId();

    assertThat(second).isEqualTo(first);
    assertThat(sim.generations(key)).isEqualTo(1);
  }

  @Test
  void failuresAreClassifiedForTheCaller() {
    SceneJob scene = scene("A forbidden picture", 1000);
    assertThatThrownBy(() -> replicate("wrong").start(scene, work, "k-" + UUID.randomUUID()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
          assertThat(e.code()).isEqualTo("provider_auth_failed");
        });

    sim.failNextCreates(1, 429, 7);
    assertThatThrownBy(() -> replicate("t0k").start(scene, work, "k-" + UUID.randomUUID()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.kind()).isEqualTo(ProviderException.Kind.RETRYABLE);
          assertThat(e.code()).isEqualTo("rate_limited");
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        });

    sim.outage(true);
    try {
      assertThatThrownBy(() -> replicate("t0k").start(scene, work, "k-" + UUID.randomUUID()))
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code()).isEqualTo("provider_unavailable"));
    } finally {
      sim.outage(false);
    }

    ProviderSettings.Remote nowhere = new ProviderSettings.Remote("replicate", "http://127.0.0.1:9", "t0k", "m", null,
        Duration.ofSeconds(2), null, null, 0, 0, null, null);
    assertThatThrownBy(() -> new ReplicateVisualProvider("down", nowhere, http, JSON, MEDIA, new ProcessRunner())
        .start(scene, work, "k")).isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.RETRYABLE));
  }

  @Test
  void aContentPolicyRefusalIsPermanent() throws Exception {
    ReplicateVisualProvider provider = replicate("t0k");
    SceneJob scene = scene("A forbidden picture", 1000);
    String jobId = ((ProviderResult.Running) provider.start(scene, work, "k-" + UUID.randomUUID())).jobId();

    ProviderException refusal = null;
    for (int i = 0; i < 100 && refusal == null; i++) {
      Thread.sleep(50);
      try {
        provider.poll(jobId);
      } catch (ProviderException e) {
        refusal = e;
      }
    }

    assertThat(refusal).isNotNull();
    assertThat(refusal.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
    assertThat(refusal.code()).isEqualTo("content_policy_violation");
  }

  @Test
  void openAiSpeechAnswersAWavWhoseLengthIsRead() throws Exception {
    ProviderSettings.Remote remote = new ProviderSettings.Remote("openai-speech", sim.baseUrl(), "t0k", "tts-1", "alloy",
        Duration.ofSeconds(5), null, null, 0, 0, null, null);
    OpenAiSpeechProvider provider = new OpenAiSpeechProvider("tts", remote, http, JSON);

    ProviderResult result = provider.start(scene("Fresh coffee, every morning.", 3000), work, "k");

    RenderedMedia media = ((ProviderResult.Done) result).media();
    assertThat(Files.size(media.file())).isGreaterThan(1000);
    assertThat(media.durationMs()).isBetween(1500, 2000);
    assertThat(media.contentType()).isEqualTo("audio/wav");
  }

  private ReplicateVisualProvider replicate(String key) {
    ProviderSettings.Remote remote = new ProviderSettings.Remote("replicate", sim.baseUrl(), key, "reelflow/sim:v1",
        null, Duration.ofSeconds(5), Duration.ofMillis(50), List.of(), 0, 0, null, null);
    return new ReplicateVisualProvider("sim", remote, http, JSON, MEDIA, new ProcessRunner());
  }

  private static SceneJob scene(String visual, int durationMs) {
    // 240x240 frames keep ffmpeg quick.
    VideoOptions options = new VideoOptions(5, "1:1", "240p");
    return new SceneJob(UUID.randomUUID(), UUID.randomUUID(), 0, 1, "Headline", visual, visual, durationMs, options,
        "user", "pro", Instant.now(), "test@local/claim", java.util.Set.of());
  }
}
