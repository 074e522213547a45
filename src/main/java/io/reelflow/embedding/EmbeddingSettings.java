package io.reelflow.embedding;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The semantic cache's embedding model ({@code reelflow.embedding.*}). Moderation always uses the
 * in-process model its thresholds were calibrated on.
 *
 * @param kind {@code local} (in-process all-MiniLM-L6-v2, 384 dimensions) or {@code openai} (any
 *     OpenAI-compatible {@code POST /v1/embeddings}: OpenAI, vLLM, Ollama, text-embeddings-inference)
 * @param baseUrl API root, e.g. {@code https://api.openai.com}
 * @param apiKey bearer token; may be empty for a local server
 * @param model the embedding model
 * @param dimensions length of the model's vectors; every answer is checked against it
 * @param sendDimensions send {@code dimensions} in the request (OpenAI's text-embedding-3 models
 *     shorten their vectors to it; servers that do not know the field may refuse it)
 * @param timeout longest wait for one answer
 */
@ConfigurationProperties("reelflow.embedding")
public record EmbeddingSettings(String kind, String baseUrl, String apiKey, String model, int dimensions,
    boolean sendDimensions, Duration timeout) {

  public EmbeddingSettings {
    kind = kind == null || kind.isBlank() ? "local" : kind;
    baseUrl = baseUrl == null ? "https://api.openai.com" : baseUrl.replaceAll("/+$", "");
    apiKey = apiKey == null ? "" : apiKey;
    model = model == null || model.isBlank() ? "text-embedding-3-small" : model;
    dimensions = dimensions <= 0 ? 1536 : dimensions;
    timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
  }

  /** True when the cache's vectors come from a remote endpoint. */
  public boolean remote() {
    return kind.equals("openai");
  }
}
