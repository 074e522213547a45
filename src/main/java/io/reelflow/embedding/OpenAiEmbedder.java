package io.reelflow.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.reelflow.provider.ProviderHttp;
import java.io.IOException;

/**
 * Vectors from an OpenAI-compatible {@code POST {base-url}/v1/embeddings} over camel-http, behind a
 * circuit breaker. Its {@link #model()} names the model and the dimension ({@code
 * text-embedding-3-small:512}), so vectors shortened to another length are never compared with
 * these. A failed, refused or malformed answer throws {@link EmbeddingUnavailableException}; the
 * cache then treats the lookup as a miss.
 */
public class OpenAiEmbedder implements Embedder {

  private final EmbeddingSettings settings;
  private final ProviderHttp http;
  private final ObjectMapper mapper;
  private final CircuitBreaker breaker;

  public OpenAiEmbedder(EmbeddingSettings settings, ProviderHttp http, ObjectMapper mapper, CircuitBreaker breaker) {
    this.settings = settings;
    this.http = http;
    this.mapper = mapper;
    this.breaker = breaker;
  }

  @Override
  public float[] embed(String text) {
    try {
      return breaker.executeSupplier(() -> call(text));
    } catch (EmbeddingUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EmbeddingUnavailableException(model() + ": " + e.getMessage(), e);
    }
  }

  private float[] call(String text) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", settings.model());
    body.put("input", text);
    body.put("encoding_format", "float");
    if (settings.sendDimensions()) {
      body.put("dimensions", settings.dimensions());
    }
    ProviderHttp.Reply reply;
    try {
      reply = http.send("POST", settings.baseUrl() + "/v1/embeddings", ProviderHttp.jsonHeaders(settings.apiKey()),
          mapper.writeValueAsBytes(body),
          settings.timeout());
    } catch (IOException e) {
      throw new EmbeddingUnavailableException("cannot write the request", e);
    }
    if (reply.status() != 200) {
      throw new EmbeddingUnavailableException("the embedding endpoint answered " + reply.status(), null);
    }
    JsonNode vector;
    try {
      vector = mapper.readTree(reply.body()).path("data").path(0).path("embedding");
    } catch (IOException e) {
      throw new EmbeddingUnavailableException("the answer is not JSON", e);
    }
    if (!vector.isArray() || vector.size() != settings.dimensions()) {
      throw new EmbeddingUnavailableException("expected a vector of " + settings.dimensions() + " numbers, got "
          + (vector.isArray() ? vector.size() + " numbers" : "none"), null);
    }
    float[] out = new float[vector.size()];
    for (int i = 0; i < out.length; i++) {
      if (!vector.get(i).isNumber()) {
        throw new EmbeddingUnavailableException("the vector holds a non-number at " + i, null);
      }
      out[i] = vector.get(i).floatValue();
    }
    return LocalEmbedder.normalised(out);
  }

  @Override
  public String model() {
    return settings.model() + ":" + settings.dimensions();
  }

  @Override
  public int dimension() {
    return settings.dimensions();
  }
}
