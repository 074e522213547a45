package io.reelflow.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelflow.video.ImageType;
import io.reelflow.video.SceneJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Visuals from a Replicate-style asynchronous predictions API: {@code POST /v1/predictions}
 * (with the scene attempt's {@code Idempotency-Key}, and a webhook when one is configured),
 * {@code GET /v1/predictions/{id}} to poll and {@code POST …/cancel}. Statuses {@code starting},
 * {@code processing}, {@code succeeded}, {@code failed} and {@code canceled} are normalised here;
 * the output (an image or a video URL) is fetched as soon as the job succeeds, since provider URLs
 * expire. A still image is kept as it is (asset {@code image}): composition moves it in the one
 * encode of the video, so a scene costs no encode of its own between the provider and the barrier.
 * A video is made into a scene clip with ffmpeg (cropped to fill the frame, its last frame held).
 */
public class ReplicateVisualProvider implements VisualProvider {

  private static final long MAX_OUTPUT_BYTES = 512L * 1024 * 1024;

  private final String name;
  private final ProviderSettings.Remote remote;
  private final ProviderHttp http;
  private final ObjectMapper mapper;
  private final LocalMediaSettings media;
  private final ProcessRunner runner;

  public ReplicateVisualProvider(String name, ProviderSettings.Remote remote, ProviderHttp http, ObjectMapper mapper,
      LocalMediaSettings media, ProcessRunner runner) {
    this.name = name;
    this.remote = remote;
    this.http = http;
    this.mapper = mapper;
    this.media = media;
    this.runner = runner;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean supports(SceneJob scene) {
    boolean ratio = remote.aspectRatios().isEmpty() || remote.aspectRatios().contains(scene.options().aspectRatio());
    boolean length = remote.maxSceneSeconds() <= 0 || scene.durationMs() <= remote.maxSceneSeconds() * 1000;
    return ratio && length;
  }

  @Override
  public ProviderResult start(SceneJob scene, Path workDir, String idempotencyKey) {
    ProviderHttp.Reply reply =
        http.send("POST", remote.baseUrl() + "/v1/predictions", headers(Map.of("Idempotency-Key", idempotencyKey)),
            json(requestBody(scene)), remote.timeout());
    if (reply.status() != 200 && reply.status() != 201) {
      throw ProviderHttp.failure(reply, name, "create");
    }
    return interpret(read(reply));
  }

  @Override
  public ProviderResult poll(String jobId) {
    ProviderHttp.Reply reply =
        http.send("GET", remote.baseUrl() + "/v1/predictions/" + jobId, headers(Map.of()), null, remote.timeout());
    if (reply.status() == 404) {
      throw ProviderException.retryable("provider_job_lost", name + " no longer knows prediction " + jobId, null)
          .jobEnded();
    }
    if (reply.status() != 200) {
      throw ProviderHttp.failure(reply, name, "poll");
    }
    return interpret(read(reply));
  }

  @Override
  public void cancel(String jobId) {
    try {
      http.send("POST", remote.baseUrl() + "/v1/predictions/" + jobId + "/cancel", headers(Map.of()), new byte[0],
          remote.timeout());
    } catch (ProviderException e) {
      // Best effort: a job we cannot reach to cancel ends on its own and is never paid twice.
    }
  }

  @Override
  public boolean sendsWebhooks() {
    return remote.webhookUrl() != null && !remote.webhookUrl().isBlank();
  }

  /** A Replicate webhook's body is the prediction, as a poll answers it. */
  @Override
  public JobReport readWebhook(byte[] body) {
    JsonNode prediction;
    try {
      prediction = mapper.readTree(body);
    } catch (IOException e) {
      prediction = null;
    }
    if (prediction == null || !prediction.path("id").isTextual() || prediction.path("id").asText().isBlank()) {
      throw ProviderException.permanent("provider_bad_webhook", name + " webhook is not a prediction");
    }
    JsonNode read = prediction;
    return JobReport.of(prediction.path("id").asText(), () -> interpret(read));
  }

  ObjectNode requestBody(SceneJob scene) {
    ObjectNode body = mapper.createObjectNode();
    body.put("version", remote.model());
    ObjectNode input = body.putObject("input");
    String style = scene.options().style() == null ? "" : ", in the style of " + scene.options().style();
    input.put("prompt", scene.visualPrompt() + style);
    input.put("aspect_ratio", scene.options().aspectRatio());
    input.put("width", scene.options().width());
    input.put("height", scene.options().height());
    input.put("duration", Math.max(1, Math.round(scene.durationMs() / 1000f)));
    input.put("seed", scene.sceneId().getLeastSignificantBits() & 0x7fffffff);
    if (remote.webhookUrl() != null && !remote.webhookUrl().isBlank()) {
      body.put("webhook", remote.webhookUrl());
      body.putArray("webhook_events_filter").add("start").add("completed");
    }
    return body;
  }

  private ProviderResult interpret(JsonNode prediction) {
    String id = prediction.path("id").asText();
    String status = prediction.path("status").asText("");
    return switch (status) {
      case "starting" -> new ProviderResult.Running(id, "submitted");
      case "processing" -> new ProviderResult.Running(id, "running");
      case "succeeded" -> new ProviderResult.Ready(id, outputUrl(prediction),
          Math.round(prediction.path("metrics").path("predict_time").asDouble(0) * 1000));
      case "canceled" -> throw ProviderException.retryable("provider_job_canceled", name + " canceled " + id, null)
          .jobEnded();
      case "failed" -> throw failed(prediction.path("error").asText("failed without a reason")).jobEnded();
      default -> throw ProviderException.retryable("provider_bad_answer", name + " answered status '" + status + "'", null);
    };
  }

  /** A failed prediction: a safety refusal is permanent, anything else may pass on a retry. */
  static ProviderException failed(String error) {
    String lower = error.toLowerCase(Locale.ROOT);
    if (lower.contains("content_policy") || lower.contains("nsfw") || lower.contains("safety") || lower.contains("flagged")) {
      return ProviderException.permanent("content_policy_violation", error);
    }
    if (lower.contains("unsupported") || lower.contains("invalid aspect") || lower.contains("too long")) {
      return new ProviderException(ProviderException.Kind.UNSUPPORTED, "provider_unsupported", error, (Duration) null);
    }
    return ProviderException.retryable("provider_job_failed", error, null);
  }

  private String outputUrl(JsonNode prediction) {
    JsonNode output = prediction.path("output");
    String url = output.isArray() ? output.path(0).asText(null) : output.asText(null);
    if (url == null || url.isBlank()) {
      throw ProviderException.retryable("provider_bad_answer", name + " succeeded without an output", null).jobEnded();
    }
    return url;
  }

  /**
   * Downloads the output at once (its URL expires): a still (PNG, JPEG or WebP by its bytes) is
   * kept as it is; anything else is taken for a video and made into the scene's clip.
   */
  @Override
  public RenderedMedia fetch(SceneJob scene, Path workDir, ProviderResult.Ready ready) {
    String url = ready.outputUrl();
    ProviderHttp.Reply file = http.send("GET", url, Map.of(), null, remote.timeout().multipliedBy(4));
    if (file.status() != 200 || file.body().length == 0 || file.body().length > MAX_OUTPUT_BYTES) {
      throw ProviderException.retryable("provider_output_unavailable", name + " output answered " + file.status(), null);
    }
    Optional<ImageType> still = ImageType.sniff(file.body());
    Path raw = workDir.resolve("visual-" + scene.sequenceNumber() + still.map(t -> "." + t.extension()).orElse(".vid"));
    try {
      Files.write(raw, file.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (still.isPresent()) {
      return new RenderedMedia(raw, "image", still.get().contentType(), scene.durationMs(), name, ready.providerMillis());
    }
    Path clip = workDir.resolve("visual-" + scene.sequenceNumber() + ".mp4");
    int frames = TitleCardCommand.frames(scene.durationMs());
    SceneClipCommand command = new SceneClipCommand(raw, scene.options().width(), scene.options().height(), frames, clip);
    runner.run(command.arguments(media.ffmpeg(), media.threads()), workDir, media.timeout(), "render_failed");
    return new RenderedMedia(clip, "video", "video/mp4", frames * 1000 / TitleCardCommand.FPS, name,
        ready.providerMillis());
  }

  private Map<String, String> headers(Map<String, String> extra) {
    Map<String, String> headers = ProviderHttp.jsonHeaders(remote.apiKey());
    headers.putAll(extra);
    return headers;
  }

  private byte[] json(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode read(ProviderHttp.Reply reply) {
    try {
      return mapper.readTree(reply.body());
    } catch (IOException e) {
      throw ProviderException.retryable("provider_bad_answer", name + " answered unreadable JSON", null);
    }
  }
}
