package io.reelflow.bench;

import io.reelflow.embedding.Embedder;
import io.reelflow.video.Sha256;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The lookups {@link CacheBench} times: new videos (status {@code planning}) of users and render
 * keys drawn like the stored ones, whose prompts are 70 % held-out paraphrases of stored prompts,
 * 20 % prompts unlike any stored one and 10 % repeats of a stored video's prompt and render key by
 * the same user (an exact match). Each has a fresh embedding of its prompt.
 */
final class BenchQueries {

  record Query(String kind, UUID videoId, String userId, String renderKey, String options, String prompt,
      float[] vector) {}

  private final List<Query> all;

  private BenchQueries(List<Query> all) {
    this.all = all;
  }

  List<Query> all() {
    return all;
  }

  static BenchQueries make(JdbcClient jdbc, Embedder embedder, List<BenchPrompts.Ad> ads,
      List<BenchStore.RenderKey> keys, int count, Random random) {
    Map<String, String> options = keys.stream()
        .collect(Collectors.toMap(BenchStore.RenderKey::key, BenchStore.RenderKey::options));
    List<Query> queries = new ArrayList<>();
    int repeats = count / 10;
    jdbc.sql("select user_id, render_key, prompt from prompt_embeddings order by video_id limit ?").param(repeats)
        .query((rs, n) -> queries.add(query("repeat", rs.getString(1), rs.getString(2), options, rs.getString(3),
            embedder)))
        .list();
    while (queries.size() < count) {
      boolean related = random.nextInt(9) < 7;
      String prompt = related ? ads.get(random.nextInt(ads.size())).paraphrase(random) : BenchPrompts.unrelated(random);
      String key = renderKey(keys, random.nextDouble());
      String user = "user-" + (int) Math.floor(BenchStore.USERS * Math.pow(random.nextDouble(), 2));
      queries.add(query(related ? "paraphrase" : "unrelated", user, key, options, prompt, embedder));
    }
    Collections.shuffle(queries, random);
    return new BenchQueries(queries);
  }

  /** Stores each query's video as a video being planned, as it is when SemanticCache looks it up. */
  void insertVideos(JdbcClient jdbc) {
    for (Query q : all) {
      jdbc.sql("insert into videos (id, user_id, tier, original_prompt, prompt_hash, options, status)"
              + " values (?, ?, 'pro', ?, ?, cast(? as jsonb), 'planning')")
          .params(q.videoId(), q.userId(), q.prompt(), Sha256.hex(q.prompt() + "|" + q.renderKey()), q.options())
          .update();
    }
  }

  void deleteVideos(JdbcClient jdbc) {
    jdbc.sql("delete from videos where status = 'planning'").update();
  }

  private static Query query(String kind, String user, String key, Map<String, String> options, String prompt,
      Embedder embedder) {
    return new Query(kind, UUID.randomUUID(), user, key, options.get(key), prompt, embedder.embed(prompt));
  }

  private static String renderKey(List<BenchStore.RenderKey> keys, double pick) {
    double lo = 0;
    for (BenchStore.RenderKey k : keys) {
      lo += k.share();
      if (pick < lo) {
        return k.key();
      }
    }
    return keys.get(keys.size() - 1).key();
  }
}
