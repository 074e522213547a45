package io.reelflow.planning;

import io.reelflow.embedding.Embedder;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The semantic cache's SQL over {@code prompt_embeddings}: vectors of the configured embedding
 * model only, each model with its own partial HNSW index over its vectors cast to its dimension
 * (V9). The model name and dimension are written into the statements as literals, so PostgreSQL
 * can prove the partial index applies to every plan, generic or custom. The table is
 * hash-partitioned by render key (V11) and every lookup names its render key, so it reads one
 * partition of 32.
 *
 * <p>In the user scope PostgreSQL reads the user's vectors through the btree
 * {@code prompt_embeddings_scope} and sorts them before it looks up their videos, so a user with
 * hundreds of videos of one render key costs one heap read per vector, not five. In the global
 * scope it walks the partition's HNSW graph, which holds only a few render keys, with pgvector's
 * iterative scan
 * ({@code hnsw.iterative_scan = relaxed_order}), so rows dropped by the render-key and status
 * filters do not leave the answer short. Both plans are shown and timed by
 * {@code scripts/bench cache}.
 */
@Component
public class PromptIndex {

  /** A stored video near the query vector. */
  public record Candidate(UUID id, String prompt, double similarity, String finalKey, String thumbnailKey) {}

  private static final Logger log = LoggerFactory.getLogger(PromptIndex.class);
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._:/+-]{1,120}");

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final String model;
  private final int dimension;
  private final String distance;
  private final String userScope;

  @Autowired
  PromptIndex(JdbcClient jdbc, PlatformTransactionManager transactions, @Qualifier(CacheEmbedding.BEAN) Embedder embedder) {
    this(jdbc, transactions, embedder.model(), embedder.dimension());
  }

  /** The index of {@code model}'s vectors of {@code dimension}; the model name must be a plain name. */
  public PromptIndex(JdbcClient jdbc, PlatformTransactionManager transactions, String model, int dimension) {
    if (!MODEL_NAME.matcher(model).matches() || dimension < 1 || dimension > 16_000) {
      throw new IllegalArgumentException("embedding model '" + model + "' of dimension " + dimension
          + ": a name of letters, digits and ._:/+- and a dimension of 1 to 16000 are required");
    }
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
    this.model = model;
    this.dimension = dimension;
    this.distance = "(e.embedding::vector(" + dimension + ") <=> cast(? as vector(" + dimension + ")))";
    // The user's vectors are sorted before the join, so only the nearest few are looked up in videos.
    this.userScope = "select c.video_id, c.prompt, 1 - c.distance as similarity, v.final_video_key, v.thumbnail_key"
        + " from (select e.video_id, e.prompt, " + distance + " as distance from prompt_embeddings e"
        + " where e.model = '" + model + "' and e.render_key = ? and e.user_id = ? order by distance) c"
        + " join videos v on v.id = c.video_id"
        + " where v.status = 'succeeded' and v.version = 1 and v.final_video_key is not null and v.id <> ?"
        + " order by c.distance limit ?";
  }

  /**
   * Makes this model's partial HNSW index when it is missing (a model configured after V9), in the
   * background: a concurrent build over a large table neither blocks writers nor holds up start-up.
   */
  @EventListener(ApplicationReadyEvent.class)
  public void ensureIndexInBackground() {
    Thread builder = new Thread(this::ensureIndex, "prompt-index");
    builder.setDaemon(true);
    builder.start();
  }

  /**
   * Makes the index unless a valid one exists. {@code prompt_embeddings} is partitioned (V11) and
   * PostgreSQL cannot build a partitioned table's index concurrently, so the table's index is made
   * on the table alone (invalid until complete), each partition's index concurrently and attached
   * to it; the table's index becomes valid when the last one is attached. A partition's invalid
   * index (an interrupted concurrent build) is dropped and made again, one already attached is
   * kept, so a build stopped half-way resumes where it stopped. A failure is logged: lookups still
   * work, only slower.
   */
  public void ensureIndex() {
    String name = indexName();
    if (Boolean.TRUE.equals(valid(name))) {
      return;
    }
    String definition = " using hnsw ((embedding::vector(" + dimension + ")) vector_cosine_ops) where model = '"
        + model + "'";
    try {
      jdbc.sql("create index if not exists " + name + " on only prompt_embeddings" + definition).update();
      List<String> partitions = jdbc.sql("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
          + " where i.inhparent = 'prompt_embeddings'::regclass order by c.relname").query(String.class).list();
      for (String partition : partitions) {
        String child = partitionIndexName(name, partition);
        if (Boolean.TRUE.equals(attached(child))) {
          continue;
        }
        if (Boolean.FALSE.equals(valid(child))) {
          log.warn("the HNSW index {} is invalid (an interrupted build); making it again", child);
          jdbc.sql("drop index concurrently if exists " + child).update();
        }
        if (valid(child) == null) {
          jdbc.sql("create index concurrently " + child + " on " + partition + definition).update();
        }
        jdbc.sql("alter index " + name + " attach partition " + child).update();
      }
      log.info("made the HNSW index {} of embedding model {} ({} dimensions) on {} partitions", name, model, dimension,
          partitions.size());
    } catch (RuntimeException e) {
      log.warn("could not make the HNSW index {} of embedding model {}: {}", name, model, e.getMessage());
    }
  }

  /** Whether the index is valid; null when there is none. */
  private Boolean valid(String index) {
    return jdbc.sql("select i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid where c.relname = ?")
        .param(index).query(Boolean.class).optional().orElse(null);
  }

  /** Whether the index is attached to its table's index; null when there is none. */
  private Boolean attached(String index) {
    return jdbc.sql("select exists (select 1 from pg_inherits h where h.inhrelid = c.oid) from pg_class c"
            + " where c.relname = ?")
        .param(index).query(Boolean.class).optional().orElse(null);
  }

  /** The index's name with the partition's suffix ({@code _p7}), within PostgreSQL's 63 characters. */
  static String partitionIndexName(String index, String partition) {
    String suffix = partition.substring(partition.lastIndexOf('_'));
    return (index.length() + suffix.length() <= 63 ? index : index.substring(0, 63 - suffix.length())) + suffix;
  }

  /** {@code prompt_embeddings_hnsw_} and the model name in lower case, other characters as '_'. */
  String indexName() {
    String slug = model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    String name = "prompt_embeddings_hnsw_" + slug;
    return name.length() <= 63 ? name : name.substring(0, 54) + "_" + Integer.toHexString(model.hashCode());
  }

  /** Keeps the video's vector (once: a redelivered lookup changes nothing). */
  public void store(UUID videoId, float[] vector, String renderKey, String userId, String prompt) {
    jdbc.sql("insert into prompt_embeddings (video_id, model, embedding, render_key, user_id, prompt)"
            + " values (?, ?, cast(? as vector), ?, ?, ?) on conflict (video_id, render_key) do nothing")
        .params(videoId, model, literal(vector), renderKey, userId, prompt)
        .update();
  }

  /**
   * The {@code limit} succeeded videos nearest to {@code vector} with the same render key, most
   * similar first; {@code userId} null searches every user's videos. An edited video (version 2
   * or later) no longer answers its prompt alone, so it serves no one.
   */
  public List<Candidate> nearest(float[] vector, String renderKey, String userId, UUID exclude, int limit) {
    String literal = literal(vector);
    if (userId != null) {
      return jdbc.sql(userScope).params(literal, renderKey, userId, exclude, limit).query(this::candidate).list();
    }
    String sql = "select e.video_id, e.prompt, 1 - " + distance + " as similarity, v.final_video_key, v.thumbnail_key"
        + " from prompt_embeddings e join videos v on v.id = e.video_id"
        + " where e.model = '" + model + "' and e.render_key = ?"
        + " and v.status = 'succeeded' and v.version = 1 and v.final_video_key is not null and v.id <> ?"
        + " order by " + distance + " limit ?";
    List<Candidate> found = transaction.execute(status -> {
      jdbc.sql("set local hnsw.iterative_scan = relaxed_order").update();
      return jdbc.sql(sql).params(literal, renderKey, exclude, literal, limit).query(this::candidate).list();
    });
    // relaxed_order may hand rows back slightly out of order
    return found.stream().sorted(Comparator.comparingDouble(Candidate::similarity).reversed()).toList();
  }

  private Candidate candidate(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Candidate(rs.getObject("video_id", UUID.class), rs.getString("prompt"), rs.getDouble("similarity"),
        rs.getString("final_video_key"), rs.getString("thumbnail_key"));
  }

  /** The newest succeeded video, other than {@code videoId}, with the same prompt and options hash as it. */
  public Optional<Candidate> exact(UUID videoId, String userId) {
    return jdbc.sql("select id, final_video_key, thumbnail_key from videos"
            + " where prompt_hash = (select prompt_hash from videos where id = ?)"
            + (userId == null ? "" : " and user_id = ?")
            + " and status = 'succeeded' and version = 1 and final_video_key is not null and id <> ?"
            + " order by completed_at desc limit 1")
        .params(userId == null ? List.of(videoId, videoId) : List.of(videoId, userId, videoId))
        .query((rs, n) -> new Candidate(rs.getObject("id", UUID.class), null, 1.0, rs.getString("final_video_key"),
            rs.getString("thumbnail_key")))
        .optional();
  }

  /** A vector as pgvector's text form, {@code [x,y,…]}. */
  public static String literal(float[] vector) {
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
