package io.reelflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.planning.PromptIndex;
import io.reelflow.video.VideoOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The benchmark's database: the application's schema (its Flyway migrations), filled with
 * succeeded videos and their prompt embeddings in bulk. Real embeddings of a base set of prompts
 * ({@code bench.base}) seed the rows; every row after the base set gets the vector
 * {@code l2_normalize(a + MIX·b + noise)} of a random base prompt {@code a} (whose text it stores),
 * another {@code b} and one of {@code bench.noise}'s small random vectors, so rows are distinct and
 * cluster around real prompts. Users and render keys are skewed: user n of 10,000 is drawn as
 * {@code floor(10000·u²)} (user 0 owns about 1 % of the rows), render keys by {@link #renderKeys}.
 */
final class BenchStore {

  record RenderKey(String key, String options, double share) {}

  static final String MODEL = "all-minilm-l6-v2-q";
  static final String HNSW = "prompt_embeddings_hnsw_all_minilm_l6_v2_q";
  static final int USERS = 10_000;
  static final double MIX = 0.35;
  static final double NOISE = 0.3;
  static final int NOISE_VECTORS = 1_000;
  private static final int BATCH = 100_000;

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private String hnswDefinition;

  BenchStore(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
  }

  /** The application's migrations, as it applies them at start. */
  void migrate() {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  /** No videos; the base prompts, noise and render keys of this run; the HNSW index's definition kept. */
  void reset(List<String> prompts, List<float[]> vectors, List<RenderKey> keys, Random random) {
    run("truncate videos cascade", "create schema if not exists bench",
        "drop table if exists bench.base, bench.noise, bench.render_keys",
        "create table bench.base (i int primary key, prompt text not null, embedding vector(384) not null,"
            + " scaled vector(384) not null)",
        "create table bench.noise (k int primary key, noise vector(384) not null)",
        "create table bench.render_keys (rank int primary key, render_key text not null, options jsonb not null,"
            + " lo float8 not null, hi float8 not null)");
    if (indexDefinition() == null) { // an earlier run stopped between dropping and building it
      new PromptIndex(jdbc, new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource), MODEL,
          384).ensureIndex();
    }
    hnswDefinition = indexDefinition();
    for (int i = 0; i < prompts.size(); i++) {
      float[] v = vectors.get(i);
      float[] scaled = new float[v.length];
      for (int d = 0; d < v.length; d++) {
        scaled[d] = (float) (v[d] * MIX);
      }
      jdbc.sql("insert into bench.base values (?, ?, cast(? as vector), cast(? as vector))")
          .params(i + 1, prompts.get(i), PromptIndex.literal(v), PromptIndex.literal(scaled)).update();
    }
    for (int k = 1; k <= NOISE_VECTORS; k++) {
      float[] noise = new float[384];
      for (int d = 0; d < noise.length; d++) {
        noise[d] = (float) (random.nextGaussian() * NOISE / Math.sqrt(noise.length));
      }
      jdbc.sql("insert into bench.noise values (?, cast(? as vector))").params(k, PromptIndex.literal(noise)).update();
    }
    double lo = 0;
    for (int r = 0; r < keys.size(); r++) {
      double hi = r == keys.size() - 1 ? 1.0000001 : lo + keys.get(r).share();
      jdbc.sql("insert into bench.render_keys values (?, ?, cast(? as jsonb), ?, ?)")
          .params(r + 1, keys.get(r).key(), keys.get(r).options(), lo, hi).update();
      lo = hi;
    }
  }

  long rows() {
    return jdbc.sql("select count(*) from prompt_embeddings").query(Long.class).single();
  }

  /** Adds rows until there are {@code target}, in statements of 100,000; the HNSW index is dropped first. */
  void fill(long target) {
    run("drop index if exists " + HNSW);
    int base = jdbc.sql("select count(*) from bench.base").query(Integer.class).single();
    for (long from = rows() + 1; from <= target; from += BATCH) {
      long to = Math.min(target, from + BATCH - 1);
      run("drop table if exists bench_batch", """
          create temp table bench_batch as
          select r.id, 'user-' || r.u as user_id, a.prompt, k.render_key, k.options, r.at,
                 case when r.n <= %1$d then a.embedding else l2_normalize(a.embedding + b.scaled + z.noise) end
                   as embedding
            from (select g as n, gen_random_uuid() as id,
                         case when g <= %1$d then g::int else 1 + floor(random() * %1$d)::int end as a,
                         1 + floor(random() * %1$d)::int as b, 1 + floor(random() * %2$d)::int as z,
                         random() as pick, floor(%3$d * power(random(), 2))::int as u,
                         timestamptz '2026-11-30' - random() * interval '365 days' as at
                    from generate_series(%4$d, %5$d) g) r
            join bench.base a on a.i = r.a
            join bench.base b on b.i = r.b
            join bench.noise z on z.k = r.z
            join bench.render_keys k on r.pick >= k.lo and r.pick < k.hi""".formatted(base, NOISE_VECTORS, USERS,
              from, to), """
          insert into videos (id, user_id, tier, original_prompt, prompt_hash, options, status, scene_count,
                              version, final_video_key, thumbnail_key, created_at, updated_at, completed_at)
          select id, user_id, 'pro', prompt, encode(sha256(convert_to(prompt || '|' || render_key, 'UTF8')), 'hex'),
                 options, 'succeeded', 6, 1, 'videos/' || id || '/final.mp4', 'videos/' || id || '/thumbnail.jpg',
                 at, at + interval '3 minutes', at + interval '3 minutes'
            from bench_batch""", """
          insert into prompt_embeddings (video_id, model, embedding, render_key, user_id, prompt, created_at)
          select id, '%s', embedding, render_key, user_id, prompt, at from bench_batch""".formatted(MODEL),
          "drop table bench_batch");
    }
  }

  /**
   * Builds the HNSW index with its migration's definition on every partition (PostgreSQL reports
   * a partitioned table's index as made {@code ON ONLY} the table), 4 GB of memory and one
   * parallel worker (2 cores).
   */
  void buildIndex() {
    run("set maintenance_work_mem = '4GB'", "set max_parallel_maintenance_workers = 1",
        hnswDefinition.replace(" ON ONLY ", " ON "),
        "reset maintenance_work_mem", "reset max_parallel_maintenance_workers");
  }

  void vacuumAnalyze() {
    run("vacuum analyze videos", "vacuum analyze prompt_embeddings");
  }

  /** Bytes of: prompt_embeddings' partitions, their HNSW indexes, their other indexes, videos with its indexes. */
  long[] sizes() {
    String hnsw = "(select sum(pg_relation_size(relid)) from pg_partition_tree('" + HNSW + "'))";
    return jdbc.sql("select (select sum(pg_table_size(relid)) from pg_partition_tree('prompt_embeddings')), " + hnsw
            + ", (select sum(pg_indexes_size(relid)) from pg_partition_tree('prompt_embeddings')) - " + hnsw
            + ", pg_total_relation_size('videos')")
        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).single();
  }

  /** The HNSW index's definition as PostgreSQL reports it now. */
  String definition() {
    return indexDefinition();
  }

  private String indexDefinition() {
    return jdbc.sql("select indexdef from pg_indexes where indexname = ?").param(HNSW).query(String.class)
        .optional().orElse(null);
  }

  /** Statements on one connection, in order (session settings hold for the ones after them); notices printed. */
  void run(String... statements) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
        for (java.sql.SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
          if (!w.getMessage().matches(".*(skipping|truncate cascades to .*)")) {
            CacheBench.say("  PostgreSQL: %s", w.getMessage());
          }
        }
        s.clearWarnings();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The {@code count} most frequent render keys of videos whose options are drawn independently
   * (30 s 45 %, 15 s 35 %, 60 s 20 %; 9:16 55 %, 16:9 30 %, 1:1 15 %; 1080p 60 %; ad 85 %; no tone
   * 60 %, warm and energetic 20 % each; music 80 %; captions 90 %), with their shares among them.
   */
  static List<RenderKey> renderKeys(int count) {
    Object[][] values = {{30, 15, 60}, {"9:16", "16:9", "1:1"}, {"1080p", "720p"}, {"ad", "explainer"},
        {null, "warm", "energetic"}, {true, false}, {true, false}};
    double[][] shares = {{.45, .35, .2}, {.55, .3, .15}, {.6, .4}, {.85, .15}, {.6, .2, .2}, {.8, .2}, {.9, .1}};
    int total = Arrays.stream(values).mapToInt(v -> v.length).reduce(1, (a, b) -> a * b);
    ObjectMapper json = new ObjectMapper();
    List<RenderKey> all = new ArrayList<>();
    for (int n = 0; n < total; n++) {
      int[] pick = new int[values.length];
      double share = 1;
      for (int d = 0, rest = n; d < values.length; rest /= values[d].length, d++) {
        pick[d] = rest % values[d].length;
        share *= shares[d][pick[d]];
      }
      VideoOptions options = new VideoOptions((Integer) values[0][pick[0]], (String) values[1][pick[1]],
          (String) values[2][pick[2]], (String) values[3][pick[3]], (String) values[4][pick[4]], null, null,
          (Boolean) values[5][pick[5]], (Boolean) values[6][pick[6]], null, "auto");
      try {
        all.add(new RenderKey(options.renderKey(), json.writeValueAsString(options), share));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    List<RenderKey> top = all.stream().sorted(Comparator.comparingDouble(RenderKey::share).reversed()).limit(count)
        .toList();
    double sum = top.stream().mapToDouble(RenderKey::share).sum();
    return top.stream().map(k -> new RenderKey(k.key(), k.options(), k.share() / sum)).toList();
  }
}
