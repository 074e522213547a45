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
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
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

  private final JdbcClient jdbc;
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

  SemanticCache(JdbcClient jdbc, Videos videos, Assets assets, Embedder embedder, Settings settings,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.videos = videos;
    this.assets = assets;
    this.embedder = embedder;
    this.settings = settings;
    this.meters = meters;
  }

  /** Stores the video's prompt embedding and finds an earlier video that serves it; null when none. */
  public Hit lookup(@Header("videoId") UUID videoId) {
    Video video = videos.find(videoId).orElseThrow();
    String prompt = normalise(video.prompt());
    float[] vector = embedder.embed(prompt);
    String literal = literal(vector);
    String renderKey = video.options().renderKey();
    jdbc.sql("insert into prompt_embeddings (video_id, model, embedding, render_key, user_id, prompt)"
            + " values (?, ?, cast(? as vector), ?, ?, ?) on conflict (video_id) do nothing")
        .params(videoId, embedder.model(), literal, renderKey, video.userId(), prompt)
        .update();
    if (!settings.enabled() || "off".equals(video.options().cache())) {
      count("skipped");
      return null;
    }
    Hit hit = exact(video).or(() -> nearest(video, prompt, literal, renderKey)).orElse(null);
    count(hit == null ? "miss" : "hit");
    return hit;
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

  private Optional<Hit> exact(Video video) {
    return jdbc.sql("select id, final_video_key, thumbnail_key from videos v"
            + " where prompt_hash = (select prompt_hash from videos where id = ?)"
            + " and status = 'succeeded' and final_video_key is not null and id <> ?"
            + " and (? or user_id = ?) order by completed_at desc limit 1")
        .params(video.id(), video.id(), settings.global(), video.userId())
        .query((rs, n) -> hit(video.id(), rs.getObject("id", UUID.class), 1.0, rs.getString("final_video_key"),
            rs.getString("thumbnail_key")))
        .optional();
  }

  private Optional<Hit> nearest(Video video, String prompt, String literal, String renderKey) {
    record Candidate(UUID id, String prompt, double similarity, String finalKey, String thumbnailKey) {}
    List<Candidate> candidates = jdbc.sql(
            "select e.video_id, e.prompt, 1 - (e.embedding <=> cast(? as vector)) as similarity,"
                + " v.final_video_key, v.thumbnail_key from prompt_embeddings e join videos v on v.id = e.video_id"
                + " where e.model = ? and e.render_key = ? and v.status = 'succeeded'"
                + " and v.final_video_key is not null and v.id <> ?"
                + " and (? or e.user_id = ?) order by e.embedding <=> cast(? as vector) limit ?")
        .params(literal, embedder.model(), renderKey, video.id(), settings.global(), video.userId(), literal,
            settings.candidates())
        .query((rs, n) -> new Candidate(rs.getObject("video_id", UUID.class), rs.getString("prompt"),
            rs.getDouble("similarity"), rs.getString("final_video_key"), rs.getString("thumbnail_key")))
        .list();
    return candidates.stream()
        .filter(c -> c.prompt() != null && CacheMatch.same(prompt, c.prompt(), c.similarity(), settings.threshold(),
            this::wordSimilarity, settings.wordThreshold()))
        .findFirst()
        .map(c -> hit(video.id(), c.id(), c.similarity(), c.finalKey(), c.thumbnailKey()));
  }

  private double wordSimilarity(String a, String b) {
    return Embedder.cosine(wordVectors.computeIfAbsent(a, embedder::embed), wordVectors.computeIfAbsent(b, embedder::embed));
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

  private static String literal(float[] vector) {
    StringBuilder text = new StringBuilder(vector.length * 10).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(vector[i]);
    }
    return text.append(']').toString();
  }
}
