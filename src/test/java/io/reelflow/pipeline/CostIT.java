package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cost control with priced local providers (0.10 per second of video, 0.001 per character of
 * speech) and a pro daily budget of 2.00: every video carries its estimate, every provider call
 * its cost in the ledger, and a submission that would pass the budget is refused with 402.
 */
class CostIT extends ReelflowIT {

  @DynamicPropertySource
  static void prices(DynamicPropertyRegistry registry) {
    registry.add("reelflow.costs.prices[local-ffmpeg].per-second", () -> "0.10");
    registry.add("reelflow.costs.prices[local-espeak].per-character", () -> "0.001");
    registry.add("reelflow.costs.daily-budget.pro", () -> "2.00");
  }

  @Autowired JdbcClient jdbc;
  @Autowired ObjectMapper json;

  @Test
  void videosCarryEstimatesCallsAreChargedAndTheBudgetHolds() throws Exception {
    String key = newKey("pro");
    List<String> accepted = new ArrayList<>();
    HttpResponse<String> refused = null;
    for (int i = 0; i < 5 && refused == null; i++) {
      HttpResponse<String> answer = post("/v1/videos", key, "{\"prompt\": \"Create a 5-sec ad for kite shop " + i
          + "\", \"duration_seconds\": 5, \"aspect_ratio\": \"1:1\", \"resolution\": \"480p\", \"music\": false,"
          + " \"cache\": \"off\"}");
      if (answer.statusCode() == 202) {
        accepted.add(json.readTree(answer.body()).get("id").asText());
      } else {
        refused = answer;
      }
    }

    assertThat(accepted).as("0.575 each fits 2.00 three times").hasSize(3);
    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(402);
    JsonNode problem = json.readTree(refused.body());
    assertThat(problem.get("code").asText()).isEqualTo("budget_exceeded");
    assertThat(problem.get("budget").decimalValue()).isEqualByComparingTo("2.00");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(jdbc.sql("""
            select coalesce(sum(h.submitted), 0)::int from submissions_by_hour h
              join api_keys k on k.user_id = h.user_id where k.key_hash = encode(sha256(convert_to(?, 'UTF8')), 'hex')""")
        .param(key).query(Integer.class).single())
        .as("the daily quota counts the accepted videos, not the one the budget refused").isEqualTo(3);

    String first = accepted.get(0);
    JsonNode video = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
        .until(() -> json.readTree(get("/v1/videos/" + first, key).body()), v -> "succeeded".equals(v.path("status").asText()));
    assertThat(video.get("cost_estimate").decimalValue()).isEqualByComparingTo("0.575");
    BigDecimal visual = jdbc.sql("select amount from cost_ledger where video_id = ? and item = 'local-ffmpeg:visual'")
        .param(UUID.fromString(first)).query(BigDecimal.class).single();
    assertThat(visual).isEqualByComparingTo("0.5");
    assertThat(jdbc.sql("select count(*) from cost_ledger where video_id = ? and item = 'local-espeak:speech'")
        .param(UUID.fromString(first)).query(Integer.class).single()).isEqualTo(1);
    assertThat(post("/v1/videos", newKey("pro"), "{\"prompt\": \"Create a 5-sec ad for a kite shop\","
        + " \"duration_seconds\": 5, \"cache\": \"off\"}").statusCode()).as("another user's budget").isEqualTo(202);
  }
}
