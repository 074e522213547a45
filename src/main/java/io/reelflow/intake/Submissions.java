package io.reelflow.intake;

import io.reelflow.cost.Costs;
import io.reelflow.video.Json;
import io.reelflow.video.Sha256;
import io.reelflow.video.Video;
import io.reelflow.video.Videos;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
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
 * two batches never deadlock), then admits each in turn, one statement each ({@link #ADMIT};
 * {@link #admitAll}). Within a batch, a user's second request sees the first
 * one's rows as any later transaction would. A request's statement writes only when it admits, so
 * a refused request leaves nothing in the batch it shared.
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
    this.batches = new GroupCommit<>("submissions", submit.writers(), submit.maxBatch(), bounded, this::admitAll,
        meters);
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

  /**
   * A batch's requests, answered in order: each a {@link Submission} or its refusal. One statement
   * locks the batch's users; then each request is one statement ({@link #ADMIT}), and a keyed
   * request that created its video one more, its idempotency row.
   *
   * <p>Why one statement a request: the batch's writer is the one thread every submission waits
   * for, and each statement it waits on is a sleep and a wake-up on a CPU that the request threads
   * keep busy. With three statements a request, the writers waited three times as long for a CPU
   * as they ran (docs/benchmarks.md, tenth session).
   */
  private List<Object> admitAll(List<Request> requests) {
    jdbc.sql(LOCK_USERS).param(requests.stream().map(r -> r.caller().userId()).distinct().toArray(String[]::new))
        .query().singleRow();
    List<Object> outcomes = new ArrayList<>(requests.size());
    boolean created = false;
    for (Request r : requests) {
      UUID id = UUID.randomUUID();
      Admission admission = jdbc.sql(ADMIT).paramSource(parameters(r, id)).query(this::admission).single();
      created |= "created".equals(admission.outcome());
      try {
        Submission answer = answer(r, admission);
        if (r.key() != null && !answer.replayed()) {
          jdbc.sql("""
                  insert into idempotency_keys (user_id, idem_key, request_hash, video_id, status_code, response, expires_at)
                  values (?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?))""")
              .params(r.caller().userId(), r.key(), r.requestHash(), id, answer.status(), answer.json(),
                  settings.idempotencyRetention().toSeconds())
              .update();
        }
        outcomes.add(answer);
      } catch (ApiException refusal) {
        outcomes.add(refusal);
      }
    }
    if (created) {
      videos.queued();
    }
    return outcomes;
  }

  /** Every user of a batch's requests, locked until the batch commits, in the locks' order. */
  private static final String LOCK_USERS = """
      select count(pg_advisory_xact_lock(k))
        from (select distinct hashtextextended(u, 7201) as k from unnest(cast(? as text[])) u order by k) locks""";

  /**
   * One request's admission, its user locked, in one statement that writes only when it admits:
   * <ul>
   *   <li>with an {@code Idempotency-Key}: the key's earlier answer ({@code prior}), after deleting
   *       the key's expired row; without: the user's twin of the last seconds (a double click);
   *   <li>when neither: what the user has used ({@code used}): unfinished videos (counted up to
   *       the tier's limit), submissions of the last 24 hours (hourly counters, so a video counts
   *       for 24 to 25 hours, stricter than an exact 24, never looser) and, when the tier has a
   *       budget and the video costs, what the user spent or committed;
   *   <li>when all leave room ({@code admitted}): one more on this hour's counter, and the video,
   *       its first event and its planning message ({@link Videos#queueFrom}).
   * </ul>
   * The row it answers says which ({@link Admission}); Java tells a refusal's reason from it in
   * the order budget, unfinished, per day.
   */
  private static final String ADMIT = """
      with prior as (
             select request_hash, video_id, status_code, response from idempotency_keys
              where :keyed and user_id = :userId and idem_key = :key and expires_at > now()),
           expired as (
             delete from idempotency_keys
              where :keyed and user_id = :userId and idem_key = :key and expires_at <= now()),
           twin as (
             select %s from videos
              where not :keyed and user_id = :userId and prompt_hash = :promptHash
                and created_at > now() - make_interval(secs => :window)
              order by created_at desc limit 1),
           used as (
             select (select count(*) from (select 1 from videos where user_id = :userId
                       and status in ('queued', 'planning', 'generating', 'composing') limit :maxUnfinished) u)::int
                       as unfinished,
                    (select coalesce(sum(submitted), 0) from submissions_by_hour where user_id = :userId
                       and hour >= date_trunc('hour', now() - interval '1 day'))::int as today,
                    case when :budgeted then %s end as committed
              where not exists (select from prior) and not exists (select from twin)),
           admitted as (
             select from used where unfinished < :maxUnfinished and today < :maxPerDay
                                and (committed is null or committed + :costEstimate <= :budget)),
           counted as (
             insert into submissions_by_hour (user_id, hour, submitted)
             select :userId, date_trunc('hour', now()), 1 from admitted
             on conflict (user_id, hour) do update set submitted = submissions_by_hour.submitted + 1),
           %s
      select p.request_hash as prior_hash, p.video_id as prior_video, p.status_code as prior_status,
             p.response as prior_response, u.unfinished, u.today, u.committed, x.*
        from (select) one
        left join prior p on true
        left join used u on true
        left join (select 'twin' as outcome, t.* from twin t union all select 'created', v.* from v) x on true"""
      .formatted(Videos.columns(), Costs.COMMITTED, Videos.queueFrom("admitted"));

  /** What {@link #ADMIT} found: the key's earlier answer, the twin or new video, or what was used. */
  private record Admission(String priorHash, UUID priorVideo, Integer priorStatus, String priorResponse,
      Integer unfinished, Integer today, BigDecimal committed, String outcome, Video video) {}

  private Admission admission(ResultSet rs, int row) throws java.sql.SQLException {
    String outcome = rs.getString("outcome");
    return new Admission(rs.getString("prior_hash"), rs.getObject("prior_video", UUID.class),
        (Integer) rs.getObject("prior_status"), rs.getString("prior_response"), (Integer) rs.getObject("unfinished"),
        (Integer) rs.getObject("today"), rs.getBigDecimal("committed"), outcome,
        outcome == null ? null : videos.map(rs, 0));
  }

  private MapSqlParameterSource parameters(Request r, UUID id) {
    Caller caller = r.caller();
    ApiSettings.Tier tier = settings.tier(caller.tier());
    Optional<BigDecimal> budget = costs.budget(caller.tier());
    boolean budgeted = budget.isPresent() && r.estimate().signum() != 0;
    VideoRequest request = r.video();
    return videos.queueParameters(id, caller.userId(), caller.tier(), request.prompt(), r.promptHash(),
            request.options(), request.delivery(), r.estimate())
        .addValue("keyed", r.key() != null).addValue("key", r.key())
        .addValue("window", settings.duplicateWindow().toMillis() / 1000.0)
        .addValue("maxUnfinished", tier.maxUnfinished()).addValue("maxPerDay", tier.maxPerDay())
        .addValue("budgeted", budgeted).addValue("budget", budgeted ? budget.get() : null);
  }

  /**
   * The answer {@code a} gives request {@code r}: an earlier answer again, the new video, or a
   * refusal.
   *
   * @throws ApiException 422 {@code idempotency_conflict}, 402 {@code budget_exceeded}, 429 {@code quota_exceeded}
   */
  private Submission answer(Request r, Admission a) {
    Caller caller = r.caller();
    if (a.priorHash() != null) {
      if (!a.priorHash().equals(r.requestHash())) {
        throw new ApiException(422, "idempotency_conflict", "Idempotency key reused",
            "Idempotency-Key '" + r.key() + "' was first used with a different request body", List.of());
      }
      return new Submission(a.priorStatus(), VideoViews.self(a.priorVideo()), a.priorResponse(), true);
    }
    if (a.video() != null) {
      return new Submission(202, VideoViews.self(a.video().id()), json.write(VideoViews.accepted(a.video())),
          "twin".equals(a.outcome()));
    }
    if (a.committed() != null) {
      BigDecimal budget = costs.budget(caller.tier()).orElseThrow();
      if (a.committed().add(r.estimate()).compareTo(budget) > 0) {
        throw new ApiException(402, "budget_exceeded", "Budget exceeded", "this video is estimated at " + r.estimate()
            + " and " + a.committed() + " of the daily budget of " + budget + " is spent or committed", List.of())
            .with(Map.of("estimate", r.estimate(), "committed", a.committed(), "budget", budget))
            .withHeaders(Map.of("Retry-After", "3600"));
      }
    }
    ApiSettings.Tier tier = settings.tier(caller.tier());
    if (a.unfinished() >= tier.maxUnfinished()) {
      throw ApiException.quotaExceeded("the " + caller.tier() + " tier runs at most " + tier.maxUnfinished()
              + " unfinished videos at once; wait for one to finish or cancel one")
          .with(Map.of("quota", "unfinished", "limit", tier.maxUnfinished()))
          .withHeaders(Map.of("Retry-After", "30"));
    }
    if (a.today() >= tier.maxPerDay()) {
      throw ApiException.quotaExceeded("the " + caller.tier() + " tier accepts " + tier.maxPerDay()
              + " videos in any 24 hours")
          .with(Map.of("quota", "per_day", "limit", tier.maxPerDay()))
          .withHeaders(Map.of("Retry-After", String.valueOf(secondsUntilADaySlotFrees(caller))));
    }
    throw new IllegalStateException("admission neither admitted nor refused request of " + caller.userId());
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

  /**
   * Forgets what no request will ask for again: idempotency keys past their retention (a replay
   * of one also deletes it) and daily-quota hours older than two days. Returns how many rows.
   */
  public int forgetExpired() {
    return jdbc.sql("delete from idempotency_keys where expires_at <= now()").update()
        + jdbc.sql("delete from submissions_by_hour where hour < now() - interval '2 days'").update();
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
