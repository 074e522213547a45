package io.reelflow.intake;

import io.reelflow.cost.Costs;
import io.reelflow.video.Json;
import io.reelflow.video.Sha256;
import io.reelflow.video.Video;
import io.reelflow.video.Videos;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a validated request into a queued video, at most once.
 *
 * <p>Why a per-user advisory lock around the whole admission: the idempotency lookup, the
 * double-click check, both quotas and the insert must see each other. Two concurrent requests of
 * one user queue on the lock; the second then finds the first one's committed video or idempotency
 * row. Users do not wait for each other.
 *
 * <p>Requests are admitted in batches ({@link GroupCommit}): the requests that arrive together
 * share one transaction, which first locks all of their users in one statement (in one order, so
 * two batches never deadlock), then admits each in turn. Within a batch, a user's second request
 * sees the first one's rows as any later transaction would. {@link #admit} decides every refusal
 * by reads before it writes anything, so a refused request leaves nothing in the batch it shared.
 */
@Component("submissions")
public class Submissions {

  private static final int MAX_KEY = 255;

  /**
   * One request to admit: who asks, with which {@code Idempotency-Key} (or none), for what, and
   * what follows from the request alone (its hashes, its estimate), worked out on the request's own
   * thread rather than on the writer that admits the whole batch.
   */
  record Request(Caller caller, String key, VideoRequest video, String requestHash, String promptHash,
      BigDecimal estimate) {}

  private final JdbcClient jdbc;
  private final Videos videos;
  private final Json json;
  private final ApiSettings settings;
  private final Costs costs;
  private final GroupCommit<Request, Submission> batches;

  Submissions(JdbcClient jdbc, Videos videos, Json json, ApiSettings settings, Costs costs,
      SubmitSettings submit, TransactionTemplate transactions, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.videos = videos;
    this.json = json;
    this.settings = settings;
    this.costs = costs;
    TransactionTemplate bounded = new TransactionTemplate(transactions.getTransactionManager(), transactions);
    bounded.setTimeout(submit.timeoutSeconds());
    this.batches = new GroupCommit<>("submissions", submit.writers(), submit.maxBatch(), bounded,
        this::lockUsers, this::admit, meters);
  }

  /**
   * The answer to a submission once it is stored (or to the earlier one it repeats).
   *
   * @throws ApiException 422 {@code idempotency_conflict} when the key was used for another body,
   *     429 {@code quota_exceeded} when a quota is used up, 402 {@code budget_exceeded} when the
   *     video's estimate does not fit the user's daily budget, 400 for a malformed key, 503
   *     {@code unavailable} while the instance stops, 503 {@code busy} when its batch outlived
   *     {@code reelflow.api.submit.timeout} (rolled back)
   */
  public Submission submit(@ExchangeProperty("caller") Caller caller,
      @Header("Idempotency-Key") String key, VideoRequest request) {
    checkKey(key);
    return batches.run(new Request(caller, key, request, Sha256.hex(json.write(request)), promptHash(request),
        costs.estimate(request.options())));
  }

  @PreDestroy
  void stop() {
    batches.stop();
  }

  /** Every user of a batch's requests, locked until the batch commits, in the locks' order. */
  private void lockUsers(List<Request> requests) {
    String[] users = requests.stream().map(r -> r.caller().userId()).distinct().toArray(String[]::new);
    jdbc.sql("""
            select count(pg_advisory_xact_lock(k))
              from (select distinct hashtextextended(u, 7201) as k from unnest(cast(? as text[])) u order by k) locks""")
        .param(users).query().singleRow();
  }

  /**
   * One request, its user locked: refusals first, each decided by a read, then the writes (the
   * quotas' statement counts the video only when it passes both). The one write before a possible
   * refusal, a replay's removal of its key's expired row, is one any outcome would keep.
   */
  private Submission admit(Request r) {
    Caller caller = r.caller();
    VideoRequest request = r.video();
    String key = r.key();
    Optional<Submission> earlier = key != null ? replay(caller, key, r.requestHash()) : duplicate(caller, r.promptHash());
    if (earlier.isPresent()) {
      return earlier.get();
    }
    enforceBudget(caller, r.estimate());
    enforceQuotasAndCount(caller);
    Video video = videos.create(caller.userId(), caller.tier(), request.prompt(), r.promptHash(),
        request.options(), request.delivery(), r.estimate());
    Submission answer = new Submission(202, VideoViews.self(video.id()), json.write(VideoViews.accepted(video)), false);
    if (key != null) {
      jdbc.sql("""
              insert into idempotency_keys (user_id, idem_key, request_hash, video_id, status_code, response, expires_at)
              values (?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?))""")
          .params(caller.userId(), key, r.requestHash(), video.id(), answer.status(), answer.json(),
              settings.idempotencyRetention().toSeconds())
          .update();
    }
    return answer;
  }

  /**
   * Puts {@code submission} on the HTTP answer: its status, {@code Location},
   * {@code Idempotent-Replayed: true} when it repeats an earlier answer, and its JSON text as the
   * body. (One step rather than a Simple expression per header: each {@code ${body.x()}} on a new
   * object builds Camel's reflection info for it again.)
   */
  public String answer(Submission submission, Message message) {
    message.setHeader(Exchange.HTTP_RESPONSE_CODE, submission.status());
    message.setHeader("Location", submission.location());
    if (submission.replayed()) {
      message.setHeader("Idempotent-Replayed", "true");
    }
    message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    return submission.json();
  }

  private Optional<Submission> replay(Caller caller, String key, String requestHash) {
    jdbc.sql("delete from idempotency_keys where user_id = ? and idem_key = ? and expires_at <= now()")
        .params(caller.userId(), key).update();
    return jdbc.sql("select request_hash, video_id, status_code, response"
            + " from idempotency_keys where user_id = ? and idem_key = ?")
        .params(caller.userId(), key)
        .query((rs, n) -> {
          if (!rs.getString("request_hash").equals(requestHash)) {
            throw new ApiException(422, "idempotency_conflict", "Idempotency key reused",
                "Idempotency-Key '" + key + "' was first used with a different request body", List.of());
          }
          return new Submission(rs.getInt("status_code"),
              VideoViews.self(rs.getObject("video_id", UUID.class)), rs.getString("response"), true);
        })
        .optional();
  }

  private Optional<Submission> duplicate(Caller caller, String promptHash) {
    return videos.recentTwin(caller.userId(), promptHash, settings.duplicateWindow())
        .map(v -> new Submission(202, VideoViews.self(v.id()), json.write(VideoViews.accepted(v)), true));
  }

  /** The video's estimate must fit what is left of the user's daily budget (spent plus committed). */
  private void enforceBudget(Caller caller, BigDecimal estimate) {
    Optional<BigDecimal> budget = costs.budget(caller.tier());
    if (budget.isEmpty() || estimate.signum() == 0) {
      return;
    }
    BigDecimal committed = costs.committed(caller.userId());
    if (committed.add(estimate).compareTo(budget.get()) > 0) {
      throw new ApiException(402, "budget_exceeded", "Budget exceeded", "this video is estimated at " + estimate
          + " and " + committed + " of the daily budget of " + budget.get() + " is spent or committed", List.of())
          .with(Map.of("estimate", estimate, "committed", committed, "budget", budget.get()))
          .withHeaders(Map.of("Retry-After", "3600"));
    }
  }

  /**
   * Forgets what no request will ask for again: idempotency keys past their retention (a replay
   * of one also deletes it) and daily-quota hours older than two days. Returns how many rows.
   */
  public int forgetExpired() {
    return jdbc.sql("delete from idempotency_keys where expires_at <= now()").update()
        + jdbc.sql("delete from submissions_by_hour where hour < now() - interval '2 days'").update();
  }

  /**
   * Both quotas, and the video's count for the daily one, in one statement. The unfinished count
   * stops at the tier's limit; the daily one sums the user's hourly counters
   * ({@code submissions_by_hour}) of the last 24 hours and the hour they began in, so a video
   * counts for 24 to 25 hours (stricter than an exact 24, never looser), whatever the number of
   * videos. When both leave room, the statement adds one to this hour's counter. The budget, the
   * one refusal that could come later, is checked before it, so a refused request counts nothing.
   */
  private void enforceQuotasAndCount(Caller caller) {
    ApiSettings.Tier tier = settings.tier(caller.tier());
    Map<String, Object> used = jdbc.sql("""
            with used as (
              select (select count(*) from (select 1 from videos where user_id = :user
                        and status in ('queued', 'planning', 'generating', 'composing') limit :unfinished) u)::int
                        as unfinished,
                     (select coalesce(sum(submitted), 0) from submissions_by_hour where user_id = :user
                        and hour >= date_trunc('hour', now() - interval '1 day'))::int as today),
            counted as (
              insert into submissions_by_hour (user_id, hour, submitted)
              select :user, date_trunc('hour', now()), 1 from used
               where unfinished < :unfinished and today < :perDay
              on conflict (user_id, hour) do update set submitted = submissions_by_hour.submitted + 1)
            select unfinished, today from used""")
        .param("user", caller.userId()).param("unfinished", tier.maxUnfinished()).param("perDay", tier.maxPerDay())
        .query().singleRow();
    if ((Integer) used.get("unfinished") >= tier.maxUnfinished()) {
      throw ApiException.quotaExceeded("the " + caller.tier() + " tier runs at most " + tier.maxUnfinished()
              + " unfinished videos at once; wait for one to finish or cancel one")
          .with(Map.of("quota", "unfinished", "limit", tier.maxUnfinished()))
          .withHeaders(Map.of("Retry-After", "30"));
    }
    if ((Integer) used.get("today") >= tier.maxPerDay()) {
      throw ApiException.quotaExceeded("the " + caller.tier() + " tier accepts " + tier.maxPerDay()
              + " videos in any 24 hours")
          .with(Map.of("quota", "per_day", "limit", tier.maxPerDay()))
          .withHeaders(Map.of("Retry-After", String.valueOf(secondsUntilADaySlotFrees(caller))));
    }
  }

  /** Until the user's oldest counted hour leaves the window: 25 hours after that hour began. */
  private long secondsUntilADaySlotFrees(Caller caller) {
    OffsetDateTime oldest = jdbc.sql("select min(hour) from submissions_by_hour where user_id = ?"
            + " and hour >= date_trunc('hour', now() - interval '1 day')")
        .param(caller.userId()).query(OffsetDateTime.class).single();
    return oldest == null ? 1 : Math.max(1, java.time.Duration.between(OffsetDateTime.now(), oldest.plusHours(25)).toSeconds());
  }

  private static void checkKey(String key) {
    if (key != null && (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw ApiException.invalid("Idempotency-Key", "must be 1-" + MAX_KEY + " visible ASCII characters");
    }
  }

  /** Same prompt (case and spacing aside) and same rendering options: the same video. */
  static String promptHash(VideoRequest request) {
    String canonical = request.prompt().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")
        + "|" + request.options().renderKey();
    return Sha256.hex(canonical);
  }
}
