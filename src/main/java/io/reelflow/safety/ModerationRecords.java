package io.reelflow.safety;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.intake.ApiException;
import io.reelflow.intake.Caller;
import io.reelflow.intake.VideoRequest;
import io.reelflow.video.Sha256;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Acts on a moderation verdict: a blocked prompt is recorded (who, when, category, source; the
 * prompt only as its hash), counted in {@code reelflow.moderation.blocked{category,source}} and
 * refused with 422 {@code prompt_blocked}, before anything is queued or paid for.
 */
@Component("moderationRecords")
public class ModerationRecords {

  private static final Logger log = LoggerFactory.getLogger(ModerationRecords.class);

  private final JdbcClient jdbc;
  private final MeterRegistry meters;

  ModerationRecords(JdbcClient jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.meters = meters;
  }

  /**
   * @throws ApiException 422 {@code prompt_blocked} with the category when {@code verdict} blocks
   */
  public void enforce(@ExchangeProperty("caller") Caller caller, @ExchangeProperty("request") VideoRequest request,
      @Body ModerationVerdict verdict) {
    enforceText(caller, request.prompt(), verdict);
  }

  /**
   * As {@link #enforce} for other moderated text (a scene edit's new texts), recorded by its hash.
   *
   * @throws ApiException 422 {@code prompt_blocked} with the category when {@code verdict} blocks
   */
  public void enforceText(@ExchangeProperty("caller") Caller caller, @ExchangeProperty("moderatedText") String text,
      @Body ModerationVerdict verdict) {
    meters.counter("reelflow.moderation.checked", "source", verdict.source()).increment();
    if (!verdict.blocked()) {
      return;
    }
    jdbc.sql("insert into moderation_blocks (user_id, prompt_hash, category, source, score, reason)"
            + " values (?, ?, ?, ?, ?, ?)")
        .params(caller.userId(), Sha256.hex(text), verdict.category(), verdict.source(), verdict.score(),
            verdict.reason())
        .update();
    meters.counter("reelflow.moderation.blocked", "category", verdict.category(), "source", verdict.source())
        .increment();
    log.info("blocked a prompt of user {}: {} ({})", caller.userId(), verdict.category(), verdict.source());
    throw new ApiException(422, "prompt_blocked", "Prompt blocked",
        "the prompt was refused by content moderation (" + verdict.category().replace('_', ' ') + ")", List.of())
        .with(Map.of("category", verdict.category()));
  }
}
