package io.reelflow.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.reelflow.embedding.LocalEmbedder;
import io.reelflow.planning.PromptIndex;
import io.reelflow.planning.PromptIndex.Candidate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * {@code scripts/bench cache}: the semantic cache at 100,000 and 1,000,000 stored embeddings.
 *
 * <p>Measures the in-process embedding model's throughput, fills the application's schema to each
 * size ({@link BenchStore}), builds the HNSW index, then times the cache's lookups exactly as
 * {@code SemanticCache.lookup} makes them, through {@link PromptIndex} on a pool of one connection:
 * {@code exact} and {@code nearest} (5 candidates), each in the user scope and the global scope,
 * for {@link BenchQueries}. Prints percentiles, which indexes the lookups used (PostgreSQL's
 * counters), the recall of the nearest answers against an exact search and the plans of typical
 * and slow lookups. Arguments: the sizes, ascending (default 100000 1000000); {@code --keep SIZE}
 * measures the rows already stored (no embedding throughput, load or build) to compare variants.
 */
public final class CacheBench {

  static final int BASE_PROMPTS = 4_000;
  static final int TIMED = 3_000;
  static final int WARMUP = 300;
  static final int RECALL_SAMPLE = 200;

  private final BenchStore store;
  private final JdbcClient jdbc;
  private final StatementLog log;
  private final PromptIndex index;
  private final PromptIndex exhaustive;
  private final JdbcClient exhaustiveJdbc;
  private final LocalEmbedder embedder = new LocalEmbedder();
  private final Random random = new Random(7);
  private final List<String> summary = new ArrayList<>();

  CacheBench(String url) {
    HikariDataSource admin = pool(url, 2, null);
    store = new BenchStore(admin);
    jdbc = JdbcClient.create(admin);
    log = new StatementLog(pool(url, 1, null));
    index = new PromptIndex(JdbcClient.create(log.dataSource()), new DataSourceTransactionManager(log.dataSource()),
        BenchStore.MODEL, 384);
    HikariDataSource noIndexScans = pool(url, 1, "set enable_indexscan = off");
    exhaustiveJdbc = JdbcClient.create(noIndexScans);
    exhaustive = new PromptIndex(exhaustiveJdbc, new DataSourceTransactionManager(noIndexScans), BenchStore.MODEL, 384);
  }

  public static void main(String[] args) throws Exception {
    boolean keep = args.length > 0 && args[0].equals("--keep");
    List<Long> sizes = java.util.Arrays.stream(args).skip(keep ? 1 : 0).map(Long::parseLong).toList();
    sizes = sizes.isEmpty() ? List.of(100_000L, 1_000_000L) : sizes;
    String url = System.getProperty("bench.url", "jdbc:postgresql://127.0.0.1:5432/reelflow_bench_cache");
    new CacheBench(url).run(sizes, keep);
    System.exit(0);
  }

  void run(List<Long> sizes, boolean keep) throws Exception {
    say("machine: %d cores, load average %s", Runtime.getRuntime().availableProcessors(), load());
    store.migrate();
    List<BenchPrompts.Ad> ads = BenchPrompts.distinctAds(BASE_PROMPTS, random);
    List<BenchStore.RenderKey> keys = BenchStore.renderKeys(40);
    say("%d render keys, shares %.3f (most frequent) to %.4f (least)", keys.size(), keys.get(0).share(),
        keys.get(keys.size() - 1).share());
    if (!keep) {
      List<String> prompts = ads.stream().map(BenchPrompts.Ad::text).toList();
      store.reset(prompts, embedThroughput(prompts), keys, random);
    }
    BenchQueries queries = null;
    for (long size : sizes) {
      double load = 0;
      double build = 0;
      if (keep) {
        if (store.rows() != size) {
          throw new IllegalStateException("--keep: the database holds " + store.rows() + " rows, not " + size);
        }
      } else {
        long t0 = System.nanoTime();
        store.fill(size);
        load = seconds(t0);
        t0 = System.nanoTime();
        store.buildIndex();
        build = seconds(t0);
        store.vacuumAnalyze();
      }
      long[] bytes = store.sizes();
      say("%,d rows: loaded in %.0f s, HNSW built in %.0f s (%s); prompt_embeddings %s, HNSW %s, its btrees %s,"
          + " videos with indexes %s; load average %s", size, load, build, store.definition(), mb(bytes[0]),
          mb(bytes[1]), mb(bytes[2]), mb(bytes[3]), load());
      if (queries == null) {
        queries = BenchQueries.make(jdbc, embedder, ads, keys, TIMED + WARMUP, new Random(11));
      }
      queries.insertVideos(jdbc);
      measure(size, queries, load, build, bytes);
      queries.deleteVideos(jdbc);
    }
    say("summary (docs/benchmarks.md):");
    summary.forEach(System.out::println);
  }

  private List<float[]> embedThroughput(List<String> prompts) throws Exception {
    for (int i = 0; i < 200; i++) {
      embedder.embed(BenchPrompts.unrelated(random));
    }
    int half = prompts.size() / 2;
    List<float[]> vectors = new ArrayList<>();
    long t0 = System.nanoTime();
    for (String p : prompts.subList(0, half)) {
      vectors.add(embedder.embed(p));
    }
    double one = half / seconds(t0);
    ExecutorService two = Executors.newFixedThreadPool(2);
    t0 = System.nanoTime();
    List<Future<float[]>> futures = new ArrayList<>();
    for (String p : prompts.subList(half, prompts.size())) {
      futures.add(two.submit(() -> embedder.embed(p)));
    }
    for (Future<float[]> f : futures) {
      vectors.add(f.get());
    }
    double both = (prompts.size() - half) / seconds(t0);
    two.shutdown();
    say("embedding throughput (%s): 1 thread %.0f prompts/s over %d prompts, 2 threads %.0f prompts/s over %d",
        BenchStore.MODEL, one, half, both, prompts.size() - half);
    summary.add(String.format("| embedding throughput | 1 thread %.0f prompts/s, 2 threads %.0f prompts/s |", one,
        both));
    return vectors;
  }

  private void measure(long size, BenchQueries queries, double load, double build, long[] bytes) throws Exception {
    List<BenchQueries.Query> warm = queries.all().subList(0, WARMUP);
    List<BenchQueries.Query> timed = queries.all().subList(WARMUP, queries.all().size());
    Map<String, Function<BenchQueries.Query, List<Candidate>>> cases = new LinkedHashMap<>();
    cases.put("exact, user scope", q -> index.exact(q.videoId(), q.userId()).stream().toList());
    cases.put("exact, global scope", q -> index.exact(q.videoId(), null).stream().toList());
    cases.put("nearest, user scope", q -> index.nearest(q.vector(), q.renderKey(), q.userId(), q.videoId(), 5));
    cases.put("nearest, global scope", q -> index.nearest(q.vector(), q.renderKey(), null, q.videoId(), 5));
    summary.add(String.format("| %,d rows | load %.0f s, HNSW build %.0f s; prompt_embeddings %s + HNSW %s + btrees %s;"
        + " videos %s |", size, load, build, mb(bytes[0]), mb(bytes[1]), mb(bytes[2]), mb(bytes[3])));
    for (var c : cases.entrySet()) {
      warm.forEach(q -> c.getValue().apply(q));
      Map<String, Long> before = indexScans();
      double[] ms = new double[timed.size()];
      double[] best = new double[timed.size()];
      for (int i = 0; i < timed.size(); i++) {
        long t0 = System.nanoTime();
        List<Candidate> found = c.getValue().apply(timed.get(i));
        ms[i] = (System.nanoTime() - t0) / 1e6;
        best[i] = found.stream().mapToDouble(Candidate::similarity).max().orElse(0);
      }
      int close = (int) java.util.Arrays.stream(best).filter(b -> b >= 0.85).count();
      Map<String, Long> scans = delta(before, indexScans());
      Latency l = Latency.of(ms);
      say("%,d rows, %s: %d lookups, p50 %.2f ms, p95 %.2f, p99 %.2f, max %.2f; %d with a candidate at >= 0.85;"
          + " index scans and buffers %s; load average %s", size, c.getKey(), ms.length, l.p50(), l.p95(), l.p99(),
          l.max(), close, scans, load());
      summary.add(String.format("| %,d rows, %s | %.2f | %.2f | %.2f | %.2f |", size, c.getKey(), l.p50(), l.p95(),
          l.p99(), l.max()));
      if (c.getKey().startsWith("nearest")) {
        boolean global = c.getKey().contains("global");
        describe(timed, best, l, global);
        explain(timed.get(l.at(0.5)), global, "median");
        explain(timed.get(l.at(0.99)), global, "p99");
        explain(timed.get(l.at(1.0)), global, "slowest");
        double recall = recall(timed.subList(0, RECALL_SAMPLE), global);
        summary.add(String.format("| %,d rows, %s recall@5 | %.3f |", size, c.getKey(), recall));
      }
    }
  }

  /** The nearest match per kind of query, and what the slowest 1 % of the lookups have in common. */
  private void describe(List<BenchQueries.Query> timed, double[] best, Latency l, boolean global) {
    Map<String, List<Double>> byKind = new java.util.TreeMap<>();
    for (int i = 0; i < timed.size(); i++) {
      byKind.computeIfAbsent(timed.get(i).kind(), k -> new ArrayList<>()).add(best[i]);
    }
    byKind.forEach((kind, b) -> say("  %s: median similarity of the nearest %.3f over %d lookups", kind,
        b.stream().sorted().toList().get(b.size() / 2), b.size()));
    List<String> slow = new ArrayList<>();
    for (int r = (int) (timed.size() * 0.99); r < timed.size(); r++) {
      BenchQueries.Query q = timed.get(l.order()[r]);
      long rows = jdbc.sql("select count(*) from prompt_embeddings where render_key = ?" + (global ? "" : " and user_id = ?"))
          .params(global ? List.of(q.renderKey()) : List.of(q.renderKey(), q.userId())).query(Long.class).single();
      slow.add(String.format("%.1f ms %s %,d rows", l.sorted()[r], q.kind(), rows));
    }
    say("  slowest 1 %% (time, kind, stored rows of its %s): %s", global ? "render key" : "user and render key", slow);
  }

  /**
   * Share of the exact top 5 (the same statement with index scans off) that the indexed lookup
   * found, and how often it found the exact nearest one.
   */
  private double recall(List<BenchQueries.Query> sample, boolean global) {
    double sum = 0;
    int counted = 0;
    int nearestFound = 0;
    int short_ = 0;
    for (BenchQueries.Query q : sample) {
      String user = global ? null : q.userId();
      List<Candidate> exact = exhaustive.nearest(q.vector(), q.renderKey(), user, q.videoId(), 5);
      Set<UUID> found = ids(index.nearest(q.vector(), q.renderKey(), user, q.videoId(), 5));
      short_ += found.size() < exact.size() ? 1 : 0;
      if (!exact.isEmpty()) {
        nearestFound += found.contains(exact.get(0).id()) ? 1 : 0;
        found.retainAll(ids(exact));
        sum += (double) found.size() / exact.size();
        counted++;
      }
    }
    double recall = counted == 0 ? 1 : sum / counted;
    say("recall@5 of %s scope over %d queries: %.3f; the exact nearest found in %d; %d answers shorter than the exact"
        + " one", global ? "global" : "user", counted, recall, nearestFound, short_);
    return recall;
  }

  /** Replays what PromptIndex sent for {@code q}, its query under EXPLAIN (ANALYZE, BUFFERS). */
  private void explain(BenchQueries.Query q, boolean global, String which) {
    log.clear();
    index.nearest(q.vector(), q.renderKey(), global ? null : q.userId(), q.videoId(), 5);
    List<StatementLog.Sent> sent = log.sent();
    List<String> plan = new org.springframework.transaction.support.TransactionTemplate(
        new DataSourceTransactionManager(log.dataSource())).execute(status -> {
          JdbcClient client = JdbcClient.create(log.dataSource());
          sent.subList(0, sent.size() - 1).forEach(s -> client.sql(s.sql()).params(s.params()).update());
          StatementLog.Sent last = sent.get(sent.size() - 1);
          return client.sql("explain (analyze, buffers) " + last.sql()).params(last.params()).query(String.class)
              .list();
        });
    say("plan of the %s %s-scope lookup (%s, user %s, render key %s):%n    %s", which, global ? "global" : "user",
        q.kind(), q.userId(), q.renderKey(), String.join("\n    ", plan).replaceAll("'\\[[-0-9.,eE]{200,}\\]'", "'[…]'"));
  }

  /**
   * Index scans so far, as PostgreSQL counts them once every connection has flushed its counters.
   * Planning a join also counts: the planner reads the lowest and highest key of an index to
   * estimate a merge join (two scans of each join column's primary key per lookup).
   */
  private Map<String, Long> indexScans() throws InterruptedException {
    for (JdbcClient client : List.of(JdbcClient.create(log.dataSource()), exhaustiveJdbc, jdbc)) {
      client.sql("select pg_stat_force_next_flush()").query(String.class).list();
    }
    Thread.sleep(1500);
    Map<String, Long> scans = new LinkedHashMap<>();
    String tables = " where relname = 'videos' or relname like 'prompt\\_embeddings%'"; // partitions too, if any
    jdbc.sql("select regexp_replace(indexrelname, '^prompt_embeddings_p[0-9]+_', 'prompt_embeddings_pN_'), sum(idx_scan)"
            + " from pg_stat_user_indexes" + tables + " group by 1")
        .query((rs, n) -> scans.put(rs.getString(1), rs.getLong(2))).list();
    jdbc.sql("select sum(heap_blks_hit + coalesce(idx_blks_hit, 0)), sum(heap_blks_read + coalesce(idx_blks_read, 0))"
            + " from pg_statio_user_tables" + tables)
        .query((rs, n) -> {
          scans.put("blocks hit", rs.getLong(1));
          return scans.put("blocks read", rs.getLong(2));
        }).list();
    scans.put("ms reading blocks", jdbc.sql("select round(blk_read_time) from pg_stat_database"
        + " where datname = current_database()").query(Long.class).single());
    return scans;
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new LinkedHashMap<>();
    after.forEach((k, v) -> {
      long n = v - before.getOrDefault(k, 0L);
      if (n > 0) {
        d.put(k, n);
      }
    });
    return d;
  }

  private static Set<UUID> ids(List<Candidate> candidates) {
    Set<UUID> ids = new HashSet<>();
    candidates.forEach(c -> ids.add(c.id()));
    return ids;
  }

  record Latency(double[] sorted, int[] order) {
    static Latency of(double[] ms) {
      Integer[] idx = new Integer[ms.length];
      for (int i = 0; i < ms.length; i++) {
        idx[i] = i;
      }
      java.util.Arrays.sort(idx, (a, b) -> Double.compare(ms[a], ms[b]));
      double[] sorted = new double[ms.length];
      int[] order = new int[ms.length];
      for (int i = 0; i < ms.length; i++) {
        sorted[i] = ms[idx[i]];
        order[i] = idx[i];
      }
      return new Latency(sorted, order);
    }

    /** Nearest-rank percentile. */
    double p(double q) {
      return sorted[rank(q)];
    }

    /** The lookup (its position in the timed list) at percentile {@code q}. */
    int at(double q) {
      return order[rank(q)];
    }

    private int rank(double q) {
      return Math.max(0, (int) Math.ceil(q * sorted.length) - 1);
    }

    double p50() {
      return p(0.5);
    }

    double p95() {
      return p(0.95);
    }

    double p99() {
      return p(0.99);
    }

    double max() {
      return sorted[sorted.length - 1];
    }
  }

  private static HikariDataSource pool(String url, int size, String initSql) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(System.getProperty("bench.user", "reelflow"));
    config.setPassword(System.getProperty("bench.password", "reelflow"));
    config.setMaximumPoolSize(size);
    config.setConnectionInitSql(initSql);
    return new HikariDataSource(config);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String mb(long bytes) {
    return String.format("%,d MB", bytes / (1024 * 1024));
  }

  private static String load() throws java.io.IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  static void say(String format, Object... args) {
    System.out.printf("[cache-bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
  }
}
