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
import java.util.Arrays;
import java.util.HashMap;
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
 * two batches never deadlock), then admits them with one statement a round ({@link #ADMIT};
 * {@link #admitAll}), a round holding at most one request of each user. Within a batch, a user's
 * second request sees the first one's rows as any later transaction would. The statement writes
 * only for the requests it admits, so a refused request leaves nothing in the batch it shared.
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
  private final GroupCommit<Request, Decided> batches;

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
    Request r = new Request(caller, key, request, Sha256.hex(json.write(request)), promptHash(request),
        costs.estimate(request.options()));
    Decided decided = batches.run(r);
    return decided.answer() != null ? decided.answer() : answer(r, decided.admission());
  }

  /**
   * What the writer decided for a request: a keyed request's answer (made in the batch's transaction,
   * since its idempotency row keeps it), else the admission, answered by {@link #submit} on the
   * request's own thread rather than on the writer every submission waits for.
   */
  private record Decided(Admission admission, Submission answer) {}

  @PreDestroy
  void stop() {
    batches.stop();
  }

  /**
   * A batch's requests, decided in order: each a {@link Decided}, or a keyed request's refusal. One statement
   * locks the batch's users; then one statement ({@link #ADMIT}) admits every request of a round,
   * and each keyed request that created its video adds its idempotency row. A user's first request
   * of the batch is in the first round, their second in the second, and so on: within a round the
   * users differ, so its requests cannot see or affect each other and one statement may admit them
   * side by side, and a user's later request sees the earlier one's rows as any later transaction
   * would. Nearly every batch is one round.
   *
   * <p>Why one statement a round: the batch's writer is the one thread every submission waits for,
   * and each statement it waits on is a sleep and a wake-up on a CPU that the request threads keep
   * busy. With three statements a request, the writers waited three times as long for a CPU as they
   * ran; with one a request, still twice as long (docs/benchmarks.md, tenth and eleventh sessions).
   */
  private List<Object> admitAll(List<Request> requests) {
    jdbc.sql(LOCK_USERS).param(requests.stream().map(r -> r.caller().userId()).distinct().toArray(String[]::new))
        .query().singleRow();
    Object[] outcomes = new Object[requests.size()];
    boolean created = false;
    for (List<Integer> round : rounds(requests)) {
      List<Request> admitting = round.stream().map(requests::get).toList();
      List<UUID> ids = admitting.stream().map(r -> UUID.randomUUID()).toList();
      List<Admission> admissions = jdbc.sql(ADMIT).paramSource(parameters(admitting, ids)).query(this::admission).list();
      for (int i = 0; i < round.size(); i++) {
        Request r = admitting.get(i);
        Admission admission = admissions.get(i);
        created |= "created".equals(admission.outcome());
        if (r.key() == null) {
          outcomes[round.get(i)] = new Decided(admission, null);
          continue;
        }
        try {
          Submission answer = answer(r, admission);
          if (!answer.replayed()) {
            jdbc.sql("""
                    insert into idempotency_keys (user_id, idem_key, request_hash, video_id, status_code, response, expires_at)
                    values (?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?))""")
                .params(r.caller().userId(), r.key(), r.requestHash(), ids.get(i), answer.status(), answer.json(),
                    settings.idempotencyRetention().toSeconds())
                .update();
          }
          outcomes[round.get(i)] = new Decided(null, answer);
        } catch (ApiException refusal) {
          outcomes[round.get(i)] = refusal;
        }
      }
    }
    if (created) {
      videos.queued();
    }
    return Arrays.asList(outcomes);
  }

  /** The positions of {@code requests} by round: the n-th request of each user in the n-th round. */
  static List<List<Integer>> rounds(List<Request> requests) {
    List<List<Integer>> rounds = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      int round = seen.merge(requests.get(i).caller().userId(), 1, Integer::sum) - 1;
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(i);
    }
    return rounds;
  }

  /** Every user of a batch's requests, locked until the batch commits, in the locks' order. */
  private static final String LOCK_USERS = """
      select count(pg_advisory_xact_lock(k))
        from (select distinct hashtextextended(u, 7201) as k from unnest(cast(? as text[])) u order by k) locks""";

  /**
   * The admission of a round's requests (each of another user, every user locked), one row each in
   * their order, in one statement that writes only for those it admits. For each request {@code r}:
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
      with r as (
             select * from unnest(%1$s, cast(:keyed as boolean[]), cast(:keys as text[]), cast(:maxUnfinished as int[]),
                                  cast(:maxPerDay as int[]), cast(:budgeted as boolean[]), cast(:budgets as numeric[]))
                           with ordinality as r(%2$s, keyed, idem_key, max_unfinished, max_per_day, budgeted, budget, n)),
           prior as (
             select r.n, k.request_hash, k.video_id, k.status_code, k.response
               from r join idempotency_keys k on k.user_id = r.user_id and k.idem_key = r.idem_key
              where r.keyed and k.expires_at > now()),
           expired as (
             delete from idempotency_keys k using r
              where r.keyed and k.user_id = r.user_id and k.idem_key = r.idem_key and k.expires_at <= now()),
           twin as (
             select r.n, t.* from r cross join lateral (
               select %3$s from videos
                where user_id = r.user_id and prompt_hash = r.prompt_hash
                  and created_at > now() - make_interval(secs => :window)
                order by created_at desc limit 1) t
              where not r.keyed),
           used as (
             select r.*,
                    (select count(*) from (select 1 from videos where user_id = r.user_id
                       and status in ('queued', 'planning', 'generating', 'composing') limit r.max_unfinished) u)::int
                       as unfinished,
                    (select coalesce(sum(submitted), 0) from submissions_by_hour where user_id = r.user_id
                       and hour >= date_trunc('hour', now() - interval '1 day'))::int as today,
                    case when r.budgeted then %4$s end as committed
               from r
              where not exists (select from prior p where p.n = r.n) and not exists (select from twin t where t.n = r.n)),
           admitted as (
             select * from used where unfinished < max_unfinished and today < max_per_day
                                  and (committed is null or committed + cost_estimate <= budget)),
           counted as (
             insert into submissions_by_hour (user_id, hour, submitted)
             select user_id, date_trunc('hour', now()), 1 from admitted
             on conflict (user_id, hour) do update set submitted = submissions_by_hour.submitted + 1),
           %5$s
      select p.request_hash as prior_hash, p.video_id as prior_video, p.status_code as prior_status,
             p.response as prior_response, u.unfinished, u.today, u.committed, x.*
        from r
        left join prior p on p.n = r.n
        left join used u on u.n = r.n
        left join (select 'twin' as outcome, t.* from twin t
                   union all select 'created', a.n, v.* from v join admitted a on a.id = v.id) x on x.n = r.n
       order by r.n"""
      .formatted(Videos.NEW_VIDEO_ARRAYS, Videos.NEW_VIDEO_COLUMNS, Videos.columns(), Costs.committedBy("r.user_id"),
          Videos.queueFrom("admitted"));

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

  /** {@link #ADMIT}'s parameters for {@code requests}, their videos to be {@code ids}. */
  private MapSqlParameterSource parameters(List<Request> requests, List<UUID> ids) {
    List<Videos.NewVideo> created = new ArrayList<>(requests.size());
    int n = requests.size();
    Boolean[] keyed = new Boolean[n];
    String[] keys = new String[n];
    Integer[] maxUnfinished = new Integer[n];
    Integer[] maxPerDay = new Integer[n];
    Boolean[] budgeted = new Boolean[n];
    String[] budgets = new String[n];
    for (int i = 0; i < n; i++) {
      Request r = requests.get(i);
      Caller caller = r.caller();
      VideoRequest request = r.video();
      created.add(new Videos.NewVideo(ids.get(i), caller.userId(), caller.tier(), request.prompt(), r.promptHash(),
          request.options(), request.delivery(), r.estimate()));
      ApiSettings.Tier tier = settings.tier(caller.tier());
      Optional<BigDecimal> budget = costs.budget(caller.tier());
      keyed[i] = r.key() != null;
      keys[i] = r.key();
      maxUnfinished[i] = tier.maxUnfinished();
      maxPerDay[i] = tier.maxPerDay();
      budgeted[i] = budget.isPresent() && r.estimate().signum() != 0;
      budgets[i] = budgeted[i] ? budget.get().toPlainString() : null;
    }
    return videos.newVideoParameters(created)
        .addValue("keyed", keyed).addValue("keys", keys)
        .addValue("window", settings.duplicateWindow().toMillis() / 1000.0)
        .addValue("maxUnfinished", maxUnfinished).addValue("maxPerDay", maxPerDay)
        .addValue("budgeted", budgeted).addValue("budgets", budgets);
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
