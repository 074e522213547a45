package io.reelflow.planning;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.embedding.Embedder;
import io.reelflow.video.Assets;
import io.reelflow.video.Video;
import io.reelflow.video.Videos;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The semantic cache ({@code routes/planning.camel.yaml}, before any planning or provider call):
 * an earlier succeeded video that asked for the same thing serves this one. First the exact
 * prompt and options hash, then pgvector cosine similarity among videos with the same render key
 * (duration, aspect ratio, resolution, mode, tone, style, voice, music, captions, reference
 * image), in the user's own videos unless the scope is {@code global}, at or above the threshold,
 * with the same numbers and negations and no content word without a synonym in the other prompt
 * ({@link CacheMatch}). {@code cache: "off"} skips the
 * lookup. Every video's embedding is stored, so it can serve later requests once it succeeds.
 * The hit's media is copied to the new video's own keys, so deleting or expiring the source
 * never breaks the copy.
 */
@Component("semanticCache")
public class SemanticCache {

  /**
   * {@code reelflow.cache.*}.
   *
   * @param enabled whether lookups happen at all
   * @param scope {@code user} (a user's prompt only ever finds that user's videos) or {@code global}
   * @param threshold lowest cosine similarity of a hit (calibration: docs/benchmarks.md)
   * @param wordThreshold lowest similarity of a word to the one that replaces it in a hit (a synonym)
   * @param candidates nearest videos examined per lookup
   */
  @ConfigurationProperties("reelflow.cache")
  public record Settings(Boolean enabled, String scope, double threshold, double wordThreshold, int candidates) {

    public Settings {
      enabled = enabled == null || enabled;
      scope = scope == null || scope.isBlank() ? "user" : scope;
      threshold = threshold <= 0 ? 0.85 : threshold;
      wordThreshold = wordThreshold <= 0 ? 0.8 : wordThreshold;
      candidates = candidates <= 0 ? 5 : candidates;
    }

    boolean global() {
      return scope.equals("global");
    }
  }

  /** An earlier video that serves this one, and the keys its media is copied to. */
  public record Hit(UUID source, double similarity, String sourceFinalKey, String sourceThumbnailKey,
      String finalKey, String thumbnailKey) {}

  private static final Logger log = LoggerFactory.getLogger(SemanticCache.class);

  private final PromptIndex index;
  private final Videos videos;
  private final Assets assets;
  private final Embedder embedder;
  private final Settings settings;
  private final MeterRegistry meters;
  private final Map<String, float[]> wordVectors = Collections.synchronizedMap(
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > 20_000;
        }
      });

  SemanticCache(PromptIndex index, Videos videos, Assets assets, @Qualifier(CacheEmbedding.BEAN) Embedder embedder, Settings settings,
      MeterRegistry meters) {
    this.index = index;
    this.videos = videos;
    this.assets = assets;
    this.embedder = embedder;
    this.settings = settings;
    this.meters = meters;
  }

  /**
   * Stores the video's prompt embedding and finds an earlier video that serves it; null when none.
   * When the embedding model cannot answer (a remote embedder down), only the exact match is
   * tried: the video's vector is not stored and no similar video can serve it.
   */
  public Hit lookup(@Header("videoId") UUID videoId) {
    Video video = videos.find(videoId).orElseThrow();
    String prompt = normalise(video.prompt());
    String renderKey = video.options().renderKey();
    float[] vector = embed(videoId, prompt);
    if (vector != null) {
      index.store(videoId, vector, renderKey, video.userId(), prompt);
    }
    if (!settings.enabled() || "off".equals(video.options().cache())) {
      count("skipped");
      return null;
    }
    String scope = settings.global() ? null : video.userId();
    Hit hit = index.exact(videoId, scope)
        .or(() -> vector == null ? java.util.Optional.empty()
            : index.nearest(vector, renderKey, scope, videoId, settings.candidates()).stream()
                .filter(c -> c.prompt() != null && CacheMatch.same(prompt, c.prompt(), c.similarity(),
                    settings.threshold(), this::wordSimilarity, settings.wordThreshold()))
                .findFirst())
        .map(c -> hit(videoId, c.id(), c.similarity(), c.finalKey(), c.thumbnailKey()))
        .orElse(null);
    count(hit != null ? "hit" : vector == null ? "unavailable" : "miss");
    return hit;
  }

  /** The prompt's vector; null when the embedding model cannot answer. */
  private float[] embed(UUID videoId, String prompt) {
    try {
      return embedder.embed(prompt);
    } catch (RuntimeException e) {
      log.warn("video {}: exact cache match only, the embedding model {} failed: {}", videoId, embedder.model(),
          e.getMessage());
      return null;
    }
  }

  /** Completes the video from the hit (whose media the route has copied): succeeded, no scenes. */
  @Transactional
  public boolean complete(@ExchangeProperty("cacheHit") Hit hit, @Header("videoId") UUID videoId) {
    for (String type : List.of("final", "thumbnail")) {
      String key = type.equals("final") ? hit.finalKey() : hit.thumbnailKey();
      assets.find(hit.source(), null, type).filter(kept -> key != null).ifPresent(kept -> assets.record(
          new Assets.Asset(videoId, null, type, key, kept.contentType(), kept.bytes(), kept.durationMs(), "cache",
              null, kept.sha256())));
    }
    return videos.succeedFromCache(videoId, hit.source(), hit.similarity(), hit.finalKey(), hit.thumbnailKey());
  }

  /** How close two words are; 0 (not synonyms, so no hit) when the embedding model cannot answer. */
  private double wordSimilarity(String a, String b) {
    try {
      return Embedder.cosine(wordVector(a), wordVector(b));
    } catch (RuntimeException e) {
      log.warn("the embedding model {} failed on a word: {}", embedder.model(), e.getMessage());
      return 0;
    }
  }

  /** A word's vector, cached; the model runs outside the cache's lock (a remote call may be slow). */
  private float[] wordVector(String word) {
    float[] vector = wordVectors.get(word);
    if (vector == null) {
      vector = embedder.embed(word);
      wordVectors.put(word, vector);
    }
    return vector;
  }

  private static Hit hit(UUID videoId, UUID source, double similarity, String finalKey, String thumbnailKey) {
    String base = "videos/" + videoId + "/";
    return new Hit(source, similarity, finalKey, thumbnailKey, base + "final.mp4",
        thumbnailKey == null ? null : base + "thumbnail.jpg");
  }

  private void count(String result) {
    meters.counter("reelflow.cache.lookups", "result", result).increment();
  }

  /** What is embedded and compared: lower case, single spaces, no surrounding punctuation. */
  static String normalise(String prompt) {
    return prompt.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip().replaceAll("^[\\p{P}\\s]+|[\\p{P}\\s]+$", "");
  }
}
