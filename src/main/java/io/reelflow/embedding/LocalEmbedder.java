package io.reelflow.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The quantized all-MiniLM-L6-v2 sentence model (384 dimensions), run in-process with ONNX
 * Runtime from the weights inside its jar: no network, no GPU.
 *
 * <p>Loading takes about a second and some 90 MB, so it starts in a background thread once the
 * application is ready and never on a request thread unless a request arrives first; {@link
 * #embed} waits for it. The model is loaded once and shared; ONNX Runtime sessions are safe for
 * concurrent use, so {@link #embed} is thread-safe.
 *
 * <p>The primary {@link Embedder}: moderation uses it whatever the cache is configured with (the
 * cache's own is the bean {@code cacheEmbedder}, which may be this one).
 */
@Component
@Primary
public class LocalEmbedder implements Embedder {

  static final String MODEL = "all-minilm-l6-v2-q";
  static final int DIMENSION = 384;

  private static final Logger log = LoggerFactory.getLogger(LocalEmbedder.class);

  private final AtomicBoolean loading = new AtomicBoolean();
  private final CompletableFuture<EmbeddingModel> model = new CompletableFuture<>();

  /** Starts loading the model in the background; later calls do nothing. Idempotent. */
  @EventListener(ApplicationReadyEvent.class)
  public void load() {
    if (!loading.compareAndSet(false, true)) {
      return;
    }
    Thread loader = new Thread(this::loadNow, "embedder-load");
    loader.setDaemon(true);
    loader.start();
  }

  private void loadNow() {
    long start = System.nanoTime();
    try {
      model.complete(new AllMiniLmL6V2QuantizedEmbeddingModel());
      log.info("embedding model {} loaded in {} ms", MODEL, (System.nanoTime() - start) / 1_000_000);
    } catch (Throwable e) {
      log.error("embedding model {} failed to load", MODEL, e);
      model.completeExceptionally(e);
    }
  }

  /** True once the model is loaded and {@link #embed} no longer waits. */
  public boolean ready() {
    return model.isDone() && !model.isCompletedExceptionally();
  }

  @Override
  public float[] embed(String text) {
    load();
    EmbeddingModel loaded;
    try {
      loaded = model.join();
    } catch (CompletionException e) {
      throw new IllegalStateException("embedding model " + MODEL + " is unavailable", e.getCause());
    }
    return normalised(loaded.embed(text).content().vector());
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  static float[] normalised(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += v * v;
    }
    if (sum == 0) {
      return vector;
    }
    float norm = (float) Math.sqrt(sum);
    float[] out = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      out[i] = vector[i] / norm;
    }
    return out;
  }
}
