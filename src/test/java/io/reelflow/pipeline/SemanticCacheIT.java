package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import io.reelflow.planning.PromptIndex;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The semantic cache through the public API with the local providers: a paraphrase of a video
 * the user already made is served at once from a copy of its media, with no scene and no provider
 * call; a near miss, another user, and {@code cache: "off"} are rendered.
 */
class SemanticCacheIT extends ReelflowIT {

  private static final String OPTIONS = ", \"duration_seconds\": 5, \"aspect_ratio\": \"1:1\", \"resolution\": \"480p\","
      + " \"music\": false, \"captions\": false";

  @Autowired ObjectMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactions;
  @Autowired DataSource dataSource;

  @Test
  void aParaphraseIsServedFromACopyAndNearMissesAreRendered() throws Exception {
    String key = newKey();
    String original = submit(key, "Create a 5-sec ad for a cup of coffee at sunrise", "");
    JsonNode first = finished(key, original);
    assertThat(first.path("cached_from").isMissingNode() || first.path("cached_from").isNull()).isTrue();

    String paraphrase = submit(key, "Create a 5-sec ad for a coffee cup at sunrise.", "");
    String nearMiss = submit(key, "Create a 5-sec ad for a cup of tea at sunrise", "");
    String otherUser = submit(newKey(), "Create a 5-sec ad for a cup of coffee at sunrise", "");
    String optedOut = submit(key, "Create a 5-sec ad for a cup of coffee at sunrise", ", \"cache\": \"off\"");

    JsonNode served = finished(key, paraphrase);
    assertThat(served.get("cached_from").asText()).isEqualTo(original);
    assertThat(count("select count(*) from scenes where video_id = ?", paraphrase)).isZero();
    assertThat(count("select count(*) from provider_jobs where video_id = ?", paraphrase)).isZero();
    assertThat(count("select count(*) from job_events where video_id = ? and event_type = 'video.cache_hit'", paraphrase))
        .isEqualTo(1);
    byte[] originalBytes = content(key, original);
    assertThat(content(key, paraphrase)).isEqualTo(originalBytes);
    for (String rendered : List.of(nearMiss, optedOut)) {
      JsonNode video = finished(key, rendered);
      assertThat(video.path("cached_from").isMissingNode() || video.path("cached_from").isNull())
          .as("%s rendered, not served", rendered).isTrue();
      assertThat(count("select count(*) from scenes where video_id = ?", rendered)).isPositive();
    }
    assertThat(count("select count(*) from videos where id = ? and cached_from is null", otherUser))
        .as("another user's identical prompt is never served this user's video").isEqualTo(1);

    assertThat(send(request("/v1/videos/" + original, key).DELETE()).statusCode()).isEqualTo(204);
    assertThat(content(key, paraphrase)).as("the copy outlives its source").isEqualTo(originalBytes);
  }

  @Test
  void anotherModelsIndexIsBuiltOnEveryPartitionAndAnInterruptedBuildResumes() throws Exception {
    PromptIndex index = new PromptIndex(jdbc, transactions, "resume-test", 8);
    String name = "prompt_embeddings_hnsw_resume_test";
    String definition = " using hnsw ((embedding::vector(8)) vector_cosine_ops) where model = 'resume-test'";
    jdbc.sql("drop index if exists " + name).update();
    index.ensureIndex();
    assertThat(valid(name)).isTrue();
    assertThat(attachedPartitions(name)).isEqualTo(32);

    // as a build stopped half-way leaves it: the table's index (invalid), p0's attached, p1's invalid
    jdbc.sql("drop index " + name).update();
    jdbc.sql("create index " + name + " on only prompt_embeddings" + definition).update();
    jdbc.sql("create index " + name + "_p0 on prompt_embeddings_p0" + definition).update();
    jdbc.sql("alter index " + name + " attach partition " + name + "_p0").update();
    // a concurrent build waits for the writer holding the partition, and is canceled: an invalid index
    try (Connection writer = dataSource.getConnection(); Connection builder = dataSource.getConnection();
        Statement write = writer.createStatement(); Statement build = builder.createStatement()) {
      writer.setAutoCommit(false);
      write.execute("lock table prompt_embeddings_p1 in row exclusive mode");
      build.execute("set statement_timeout = 300");
      assertThatThrownBy(() -> build.execute("create index concurrently " + name + "_p1 on prompt_embeddings_p1"
          + definition)).hasMessageContaining("statement timeout");
      build.execute("reset statement_timeout");
      writer.rollback();
    }
    assertThat(valid(name + "_p1")).isFalse();
    long kept = oid(name + "_p0");
    assertThat(valid(name)).isFalse();

    index.ensureIndex();
    assertThat(valid(name)).isTrue();
    assertThat(attachedPartitions(name)).isEqualTo(32);
    assertThat(valid(name + "_p1")).as("the invalid build is made again").isTrue();
    assertThat(oid(name + "_p0")).as("a finished partition is kept").isEqualTo(kept);
    jdbc.sql("drop index " + name).update();
  }

  private Boolean valid(String index) {
    return jdbc.sql("select i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid where c.relname = ?")
        .param(index).query(Boolean.class).single();
  }

  private int attachedPartitions(String index) {
    return jdbc.sql("select count(*) from pg_inherits h join pg_index i on i.indexrelid = h.inhrelid"
            + " where h.inhparent = cast(? as regclass) and i.indisvalid").param(index).query(Integer.class).single();
  }

  private long oid(String relation) {
    return jdbc.sql("select cast(cast(? as regclass) as oid)").param(relation).query(Long.class).single();
  }

  private String submit(String key, String prompt, String more) throws Exception {
    HttpResponse<String> accepted = post("/v1/videos", key, "{\"prompt\": \"" + prompt + "\"" + OPTIONS + more + "}");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return json.readTree(accepted.body()).get("id").asText();
  }

  private JsonNode finished(String key, String id) {
    JsonNode video = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
        .until(() -> json.readTree(get("/v1/videos/" + id, key).body()),
            v -> List.of("succeeded", "failed").contains(v.path("status").asText()));
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("succeeded");
    return video;
  }

  private byte[] content(String key, String id) throws Exception {
    HttpResponse<byte[]> content = HTTP.send(request("/v1/videos/" + id + "/content?redirect=false", key).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(content.statusCode()).isEqualTo(200);
    return content.body();
  }

  private int count(String sql, String id) {
    return jdbc.sql(sql).param(java.util.UUID.fromString(id)).query(Integer.class).single();
  }
}
