package io.reelflow.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.reelflow.generation.ProviderBreakers;
import io.reelflow.intake.ApiSettings;
import io.reelflow.storage.MediaStore;
import io.reelflow.video.Assets;
import io.reelflow.video.JobEvents;
import io.reelflow.video.PlannedScene;
import io.reelflow.video.Video;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Plans a video: a shot list the user wrote is the plan as it is; otherwise, in at most the tier's
 * {@code max-scenes} scenes, with {@code reelflow.planner.kind: openai} the LLM planner, behind its own
 * circuit breaker ({@code planner}), and the local planner whenever the LLM fails, is refused or
 * answers no valid plan twice; otherwise the local planner. The tokens an LLM plan cost go to the
 * cost ledger, the planner used and why to the video's feed, and the plan itself to storage as the
 * video's {@code script} asset.
 */
@Component
class PlannerChain {

  private static final Logger log = LoggerFactory.getLogger(PlannerChain.class);

  private final LocalScenePlanner local;
  private final LlmScenePlanner llm;
  private final PlannerSettings settings;
  private final CircuitBreaker breaker;
  private final JdbcClient jdbc;
  private final JobEvents events;
  private final MediaStore store;
  private final Assets assets;
  private final ObjectMapper mapper;
  private final ApiSettings tiers;

  PlannerChain(LocalScenePlanner local, LlmScenePlanner llm, PlannerSettings settings, ProviderBreakers breakers,
      JdbcClient jdbc, JobEvents events, MediaStore store, Assets assets, ObjectMapper mapper, ApiSettings tiers) {
    this.tiers = tiers;
    this.local = local;
    this.llm = llm;
    this.settings = settings;
    this.breaker = breakers.of("planner");
    this.jdbc = jdbc;
    this.events = events;
    this.store = store;
    this.assets = assets;
    this.mapper = mapper;
  }

  /** The video's plan, written to storage as its script. */
  List<PlannedScene> plan(Video video) {
    Map<String, Object> detail = new LinkedHashMap<>();
    int maxScenes = tiers.tier(video.tier()).maxScenes();
    List<PlannedScene> plan;
    if (video.options().scenes() != null) {
      plan = ShotLists.plan(video.options().scenes(), video.options());
      detail.put("planner", "user");
    } else {
      plan = settings.llm() ? llmOrLocal(video, maxScenes, detail) : local.plan(video.prompt(), video.options(), maxScenes);
    }
    detail.putIfAbsent("planner", "local");
    detail.put("scenes", plan.size());
    events.append(video.id(), null, "video.planner", "planning", detail);
    keep(video, plan, detail);
    return plan;
  }

  private List<PlannedScene> llmOrLocal(Video video, int maxScenes, Map<String, Object> detail) {
    long started = System.nanoTime();
    try {
      LlmScenePlanner.Answer answer = breaker.executeSupplier(() -> llm.plan(video.prompt(), video.options(), maxScenes));
      charge(video, answer.tokens());
      detail.put("planner", settings.model());
      detail.put("tokens", answer.tokens());
      detail.put("repaired", answer.requests() > 1);
      return PlanRules.snap(answer.scenes(), video.options());
    } catch (LlmScenePlanner.PlanningFailed e) {
      charge(video, e.tokens);
      detail.put("fallback", e.getMessage());
    } catch (CallNotPermittedException e) {
      detail.put("fallback", "the planner's circuit is open");
    }
    log.warn("video {}: planned locally after {} ms, the LLM planner did not: {}", video.id(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), detail.get("fallback"));
    return local.plan(video.prompt(), video.options(), maxScenes);
  }

  private void charge(Video video, int tokens) {
    if (tokens <= 0) {
      return;
    }
    BigDecimal amount = BigDecimal.valueOf(settings.pricePerThousandTokens()).multiply(BigDecimal.valueOf(tokens))
        .divide(BigDecimal.valueOf(1000), 6, RoundingMode.HALF_UP);
    jdbc.sql("insert into cost_ledger (video_id, user_id, item, amount) values (?, ?, ?, ?)")
        .params(video.id(), video.userId(), "planner:" + settings.model() + ":" + tokens + " tokens", amount)
        .update();
  }

  private void keep(Video video, List<PlannedScene> plan, Map<String, Object> detail) {
    Map<String, Object> script = new LinkedHashMap<>();
    script.put("prompt", video.prompt());
    script.put("planner", detail.get("planner"));
    script.put("scenes", plan);
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String key = "videos/" + video.id() + "/script.json";
    store.upload(key, bytes, "application/json");
    assets.record(new Assets.Asset(video.id(), null, "script", key, "application/json", bytes.length, null,
        String.valueOf(detail.get("planner")), null));
  }
}
