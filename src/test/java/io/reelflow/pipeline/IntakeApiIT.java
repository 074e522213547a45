package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.intake.SubmissionBodies;
import io.reelflow.video.Scenes;
import io.reelflow.video.Video;
import io.reelflow.video.VideoOptions;
import io.reelflow.video.Videos;
import java.io.InputStream;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** The public API's contract: one test per refusal code, idempotency, ownership, list, cancel, delete. */
class IntakeApiIT extends ReelflowIT {

  private static final String SHORT_AD = "{\"prompt\": \"A five second ad for green tea\", \"duration_seconds\": 5}";

  @Autowired ObjectMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry meters;
  @Autowired Videos videos;
  @Autowired Scenes scenes;
  @Autowired RabbitTemplate rabbit;
  @Autowired PlatformTransactionManager transactions;
  @Autowired javax.sql.DataSource dataSource;

  @Test
  void aBodyOver64KibIsPayloadTooLarge() throws Exception {
    HttpResponse<String> refused = post("/v1/videos", newKey(), "{\"prompt\": \"" + "a".repeat(70_000) + "\"}");

    assertProblem(refused, 413, "payload_too_large");
  }

  @Test
  void aBodyOverTheServersLimitIsPayloadTooLargeBeforeAnyRoute() throws Exception {
    HttpResponse<String> refused = post("/v1/videos", newKey(), "{\"prompt\": \"" + "a".repeat(17 * 1024 * 1024) + "\"}");

    assertProblem(refused, 413, "payload_too_large");
    // the submission route would refuse it too, after taking a token from the caller's bucket
    assertThat(refused.headers().firstValue("RateLimit-Limit")).as("no route saw the request").isEmpty();
  }

  @Test
  void anUnknownPathAndAMissingMethodAreProblemsToo() throws Exception {
    assertProblem(get("/v1/nothing-here", newKey()), 404, "not_found");
    assertProblem(send(request("/v1/openapi.json", newKey()).DELETE()), 405, "method_not_allowed");
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).as("operators' endpoints are not on the API's port").isEqualTo(404);
  }

  @Test
  void anEventStreamWhoseClientLeftFreesItsSlotAtOnce() throws Exception {
    String user = "it-" + UUID.randomUUID();
    String key = apiKeys.create(user, "pro", "integration test");
    // planning by hand: nothing moves it on, so its stream stays open until the client leaves
    Video video = new HandPlanned(videos, scenes, rabbit, json, transactions)
        .planning(user, "pro", "Create a 5-sec ad for socks", new VideoOptions(5, "1:1", "480p"));
    double before = openStreams();
    List<InputStream> streams = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<InputStream> open = HTTP.send(request("/v1/videos/" + video.id() + "/events", key).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(new String(open.body().readNBytes(5), StandardCharsets.UTF_8)).as("sent before any event").isEqualTo("retry");
      streams.add(open.body());
    }
    assertThat(openStreams()).isEqualTo(before + 3);

    for (InputStream stream : streams) {
      stream.close();
    }

    // well before the 15 s heartbeat that would otherwise find the connection gone
    await().atMost(Duration.ofSeconds(5)).until(() -> openStreams() <= before);
  }

  @Test
  void aQueuedVideoShowsItsPlaceInTheQueueAndMovesUpWhenOneAheadLeaves() throws Exception {
    String user = "it-" + UUID.randomUUID();
    String key = apiKeys.create(user, "pro", "integration test");
    UUID ahead = queuedForGood(user);
    UUID behind = queuedForGood(user);

    int aheadPosition = json.readTree(get("/v1/videos/" + ahead, key).body()).get("queue_position").asInt();
    int behindPosition = json.readTree(get("/v1/videos/" + behind, key).body()).get("queue_position").asInt();
    assertThat(aheadPosition).isPositive();
    assertThat(behindPosition).isGreaterThan(aheadPosition);

    cancel(key, ahead.toString());

    assertThat(json.readTree(get("/v1/videos/" + ahead, key).body()).has("queue_position"))
        .as("a video out of the queue has no position").isFalse();
    // positions are counted at most once a second per video
    await().atMost(Duration.ofSeconds(5)).until(() ->
        json.readTree(get("/v1/videos/" + behind, key).body()).get("queue_position").asInt() < behindPosition);
    cancel(key, behind.toString());
  }

  /** A queued video whose planning message is never sent: it stays queued until canceled. */
  private UUID queuedForGood(String user) {
    return transactions().execute(status -> {
      Video video = videos.create(user, "pro", "Create a 5-sec ad for socks", "hash-" + UUID.randomUUID(),
          new VideoOptions(5, "1:1", "480p"), io.reelflow.video.Delivery.NONE, null);
      jdbc.sql("delete from outbox where aggregate_id = ?").param(video.id()).update();
      return video.id();
    });
  }

  private org.springframework.transaction.support.TransactionTemplate transactions() {
    return new org.springframework.transaction.support.TransactionTemplate(transactions);
  }

  private double openStreams() {
    return meters.get("reelflow.api.event.streams").gauge().value();
  }

  @Test
  void aNonJsonContentTypeIsUnsupported() throws Exception {
    HttpResponse<String> refused = send(request("/v1/videos", newKey()).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(SHORT_AD)));

    assertProblem(refused, 415, "unsupported_media_type");
  }

  @Test
  void aResolutionAboveTheTierIsInvalid() throws Exception {
    HttpResponse<String> refused = post("/v1/videos", newKey("free"),
        "{\"prompt\": \"An ad for socks\", \"resolution\": \"1080p\"}");

    assertProblem(refused, 400, "invalid_request");
    assertThat(json.readTree(refused.body()).get("errors").get(0).get("message").asText()).contains("720p");
  }

  @Test
  void aHarmfulPromptIsBlockedWithItsCategoryAndRecordedWithoutAVideo() throws Exception {
    String key = newKey();
    String user = userOf(key);
    HttpResponse<String> refused = post("/v1/videos", key,
        "{\"prompt\": \"step by step instructions to build a pipe bomb at home\"}");

    assertProblem(refused, 422, "prompt_blocked");
    assertThat(json.readTree(refused.body()).get("category").asText()).isEqualTo("weapons_instructions");
    assertThat(count("select count(*) from moderation_blocks where user_id = ?", user)).isEqualTo(1);
    assertThat(count("select count(*) from videos where user_id = ?", user)).isZero();
    JsonNode blocked = json.readTree(HTTP.send(HttpRequest.newBuilder(
        uri("/actuator/metrics/reelflow.moderation.blocked?tag=category:weapons_instructions")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(blocked.at("/measurements/0/value").asDouble()).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void ordinaryAdLanguageIsNotBlocked() throws Exception {
    String key = newKey();
    HttpResponse<String> accepted = post("/v1/videos", key,
        "{\"prompt\": \"A killer deal: shoot the product on a white table, a knife slicing bread\", \"duration_seconds\": 5}");

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    cancel(key, json.readTree(accepted.body()).get("id").asText());
  }

  @Test
  void theDailyQuotaCountsTheLastDaysSubmissionsAndForgetsOlderOnes() throws Exception {
    String user = "it-" + UUID.randomUUID();
    String key = apiKeys.create(user, "free", "integration test");
    // the free tier accepts 50 a day: 50 made 25 hours ago no longer count, 50 made an hour ago do
    jdbc.sql("insert into submissions_by_hour (user_id, hour, submitted) values (?, date_trunc('hour', now()) - interval '25 hours', 50)")
        .param(user).update();
    HttpResponse<String> accepted = post("/v1/videos", key, SHORT_AD);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    cancel(key, json.readTree(accepted.body()).get("id").asText());
    assertThat(count("select sum(submitted)::int from submissions_by_hour where user_id = ?"
        + " and hour = date_trunc('hour', now())", user)).isEqualTo(1);

    jdbc.sql("insert into submissions_by_hour (user_id, hour, submitted) values (?, date_trunc('hour', now()) - interval '1 hour', 49)")
        .param(user).update();
    HttpResponse<String> refused = post("/v1/videos", key, "{\"prompt\": \"A five second ad for oolong tea\", \"duration_seconds\": 5}");

    assertProblem(refused, 429, "quota_exceeded");
    assertThat(json.readTree(refused.body()).get("quota").asText()).isEqualTo("per_day");
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).as("the hour before this one leaves the window 25 hours after it began")
        .isBetween(23L * 3600, 24L * 3600);
    assertThat(count("select sum(submitted)::int from submissions_by_hour where user_id = ?"
        + " and hour = date_trunc('hour', now())", user)).as("a refused submission is not counted").isEqualTo(1);
    assertThat(count("select count(*)::int from videos where user_id = ?", user)).as("nor stored").isEqualTo(1);
  }

  @Test
  void theFreeTierRunsTwoVideosAtOnceThenRunsOutOfTokens() throws Exception {
    String key = newKey("free");
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      answers.add(post("/v1/videos", key, "{\"prompt\": \"Ad number " + i + " for a bakery\", \"duration_seconds\": 5}"));
    }

    assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(202, 202, 429, 429, 429, 429, 429);
    assertProblem(answers.get(2), 429, "quota_exceeded");
    assertThat(answers.get(2).headers().firstValue("Retry-After")).isPresent();
    assertProblem(answers.get(5), 429, "rate_limited");
    assertThat(answers.get(5).headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
    assertThat(answers.get(5).headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(answers.get(0).headers().firstValue("RateLimit-Limit")).hasValue("5");
    for (int i = 0; i < 2; i++) {
      cancel(key, json.readTree(answers.get(i).body()).get("id").asText());
    }
  }

  @Test
  void threeConcurrentSubmitsWithOneKeyMakeOneVideo() throws Exception {
    String key = newKey();
    String idempotencyKey = UUID.randomUUID().toString();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    Callable<HttpResponse<String>> submit = () -> send(request("/v1/videos", key)
        .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(SHORT_AD)));
    for (int i = 0; i < 3; i++) {
      answers.add(pool.submit(submit));
    }
    List<HttpResponse<String>> done = new ArrayList<>();
    for (Future<HttpResponse<String>> answer : answers) {
      done.add(answer.get());
    }
    pool.shutdown();

    assertThat(done).extracting(HttpResponse::statusCode).containsOnly(202);
    assertThat(done).extracting(HttpResponse::body).containsOnly(done.get(0).body());
    assertThat(done).filteredOn(r -> r.headers().firstValue("Idempotent-Replayed").isPresent()).hasSize(2);
    assertThat(count("select count(*) from videos where user_id = ?", userOf(key))).isEqualTo(1);

    HttpResponse<String> conflict = send(request("/v1/videos", key).header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"Something else entirely\"}")));
    assertProblem(conflict, 422, "idempotency_conflict");
    cancel(key, json.readTree(done.get(0).body()).get("id").asText());
  }

  @Test
  void aKeyPastItsRetentionIsForgottenAndMayNameANewRequest() throws Exception {
    String key = newKey();
    String idempotencyKey = UUID.randomUUID().toString();
    Function<String, HttpResponse<String>> submit = body -> {
      try {
        return send(request("/v1/videos", key).header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    String first = id(submit.apply(SHORT_AD));
    jdbc.sql("update idempotency_keys set expires_at = now() - interval '1 second' where user_id = ? and idem_key = ?")
        .params(userOf(key), idempotencyKey).update();

    HttpResponse<String> other = submit.apply("{\"prompt\": \"Something else entirely\", \"duration_seconds\": 5}");

    assertThat(other.statusCode()).as("not a conflict: the key's first use was forgotten").isEqualTo(202);
    assertThat(other.headers().firstValue("Idempotent-Replayed")).isEmpty();
    String second = id(other);
    assertThat(second).isNotEqualTo(first);
    assertThat(jdbc.sql("select video_id::text from idempotency_keys where user_id = ? and idem_key = ?")
        .params(userOf(key), idempotencyKey).query(String.class).list())
        .as("the key now answers for the new video, once").containsExactly(second);
    HttpResponse<String> again = submit.apply("{\"prompt\": \"Something else entirely\", \"duration_seconds\": 5}");
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(id(again)).isEqualTo(second);
    cancel(key, first);
    cancel(key, second);
  }

  @Test
  void concurrentSubmissionsOfSeveralUsersEachGetTheirOwnAnswerAndARefusalTakesNothingFromTheOthers()
      throws Exception {
    withRelayStopped(this::concurrentSubmissionsOfSeveralUsers);
  }

  private void concurrentSubmissionsOfSeveralUsers() throws Exception {
    // ten requests at once, which may share batches (GroupCommitTest shows that they do): whatever
    // the batches, each request gets its own answer
    String free = newKey("free");
    String pro = newKey();
    String doubleClicker = newKey();
    List<String> keys = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String body = "{\"prompt\": \"Ad number " + i + " for a flower shop\", \"duration_seconds\": 5}";
      keys.addAll(List.of(free, pro));
      bodies.addAll(List.of(body, body));
    }
    keys.addAll(List.of(doubleClicker, doubleClicker));
    bodies.addAll(List.of(SHORT_AD, SHORT_AD));
    List<Callable<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String body = bodies.get(i);
      requests.add(() -> post("/v1/videos", key, body));
    }
    ExecutorService pool = Executors.newFixedThreadPool(requests.size());
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (Future<HttpResponse<String>> answer : pool.invokeAll(requests)) {
      answers.add(answer.get());
    }
    pool.shutdown();

    List<HttpResponse<String>> freeAnswers = List.of(answers.get(0), answers.get(2), answers.get(4), answers.get(6));
    assertThat(freeAnswers).extracting(HttpResponse::statusCode).as("the free tier runs two at once")
        .containsExactlyInAnyOrder(202, 202, 429, 429);
    for (HttpResponse<String> refused : freeAnswers.stream().filter(r -> r.statusCode() == 429).toList()) {
      assertProblem(refused, 429, "quota_exceeded");
    }
    assertThat(List.of(answers.get(1), answers.get(3), answers.get(5), answers.get(7)))
        .extracting(HttpResponse::statusCode).containsOnly(202);
    assertThat(answers.subList(8, 10)).extracting(HttpResponse::statusCode).containsOnly(202);
    assertThat(id(answers.get(9))).as("the double click gets the first video").isEqualTo(id(answers.get(8)));

    assertAdmittedVideos(Map.of(free, 2, pro, 4, doubleClicker, 1));
    for (int i = 0; i < 9; i++) { // the tenth is the ninth's video
      if (answers.get(i).statusCode() == 202) {
        cancel(keys.get(i), id(answers.get(i)));
      }
    }
  }

  @Test
  void aSubmissionWhoseUserIsHeldElsewhereIsAnsweredBusyAfterTheTimeoutAndHoldsNoOneElseUpForGood()
      throws Exception {
    String stalledKey = newKey();
    String stalled = userOf(stalledKey);
    String otherKey = newKey();
    // Another instance's batch (here: another connection) holds the user's admission lock and does
    // not finish. The batch that waits for it is canceled at reelflow.api.submit.timeout (5 s).
    try (java.sql.Connection other = dataSource.getConnection()) {
      other.setAutoCommit(false);
      try (var lock = other.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 7201))")) {
        lock.setString(1, stalled);
        lock.execute();
      }
      var waiting = HTTP.sendAsync(request("/v1/videos", stalledKey).POST(HttpRequest.BodyPublishers.ofString(SHORT_AD))
          .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from pg_stat_activity"
          + " where wait_event_type = 'Lock' and wait_event = 'advisory'").query(Integer.class).single() >= 1);
      // queued behind the stalled batch on the one writer: answered once that batch gave up
      var behind = HTTP.sendAsync(request("/v1/videos", otherKey).POST(HttpRequest.BodyPublishers.ofString(SHORT_AD))
          .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());

      HttpResponse<String> busy = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertProblem(busy, 503, "busy");
      assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
      HttpResponse<String> accepted = behind.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      other.rollback();
      cancel(otherKey, id(accepted));
    }
    assertThat(count("select count(*)::int from videos where user_id = ?", stalled)).as("rolled back").isZero();
    assertThat(count("select coalesce(sum(submitted), 0)::int from submissions_by_hour where user_id = ?", stalled))
        .isZero();

    HttpResponse<String> again = post("/v1/videos", stalledKey, SHORT_AD);
    assertThat(again.statusCode()).as("the same request, once the lock is free").isEqualTo(202);
    cancel(stalledKey, id(again));
  }

  @Test
  void oneBatchAdmitsSeveralRequestsOfOneUserInTheirOrder() throws Exception {
    withRelayStopped(this::oneBatchOfSeveralRequestsOfOneUser);
  }

  private void oneBatchOfSeveralRequestsOfOneUser() throws Exception {
    // The writer is held on a first batch (its user locked elsewhere) while nine requests queue;
    // released, it takes all nine as one batch: three rounds of one statement each (Submissions.rounds)
    String blockerKey = newKey();
    String a = newKey();
    String b = newKey();
    String c = newKey();
    String free = newKey("free");
    String first = "{\"prompt\": \"A first ad for a bakery\", \"duration_seconds\": 5}";
    List<String> keys = List.of(a, b, a, c, c, a, free, free, free);
    List<String> bodies = new ArrayList<>(List.of(first, first, first, first, first, SHORT_AD)); // a's double click; c's retry
    for (int i = 0; i < 3; i++) { // the free tier runs two at once
      bodies.add("{\"prompt\": \"Free ad number " + i + " for a bakery\", \"duration_seconds\": 5}");
    }
    List<HttpRequest> queued = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      HttpRequest.Builder r = request("/v1/videos", keys.get(i)).header("Content-Type", "application/json");
      if (i == 3 || i == 4) {
        r.header("Idempotency-Key", "batch-key");
      }
      queued.add(r.POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build());
    }
    var batchSizes = meters.find("reelflow.group.commit.batch").tag("name", "submissions").summary();
    var waiting = meters.find("reelflow.group.commit.waiting").tag("name", "submissions").gauge();
    List<HttpResponse<String>> answers = new ArrayList<>();
    long batchesBefore;
    double itemsBefore;
    try (java.sql.Connection other = dataSource.getConnection()) {
      other.setAutoCommit(false);
      try (var lock = other.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 7201))")) {
        lock.setString(1, userOf(blockerKey));
        lock.execute();
      }
      var blocked = HTTP.sendAsync(request("/v1/videos", blockerKey).POST(HttpRequest.BodyPublishers.ofString(SHORT_AD))
          .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(3)).until(() -> jdbc.sql("select count(*) from pg_stat_activity"
          + " where wait_event_type = 'Lock' and wait_event = 'advisory'").query(Integer.class).single() >= 1);
      batchesBefore = batchSizes.count();
      itemsBefore = batchSizes.totalAmount();
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (HttpRequest r : queued) {
        // one after another into the queue, so that their order in the batch is the order sent
        sent.add(HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
        double before = sent.size() - 1;
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).until(() -> waiting.value() > before);
      }
      other.rollback(); // within the 5 s the blocked batch may wait
      assertThat(blocked.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(202);
      for (var answer : sent) {
        answers.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
    }
    assertThat(batchSizes.count() - batchesBefore).as("the held batch, then the nine as one").isEqualTo(2);
    assertThat(batchSizes.totalAmount() - itemsBefore).isEqualTo(10);

    assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(202, 202, 202, 202, 202, 202, 202, 202, 429);
    assertProblem(answers.get(8), 429, "quota_exceeded");
    assertThat(id(answers.get(2))).as("a's double click gets a's first video").isEqualTo(id(answers.get(0)));
    assertThat(id(answers.get(1))).as("b's is b's own").isNotEqualTo(id(answers.get(0)));
    assertThat(id(answers.get(4))).as("c's retry gets c's video").isEqualTo(id(answers.get(3)));
    assertThat(answers.get(4).headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(answers.get(3).headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(id(answers.get(5))).isNotEqualTo(id(answers.get(0)));
    assertAdmittedVideos(Map.of(a, 2, b, 1, c, 1, free, 2));
    assertThat(count("select count(*)::int from idempotency_keys where user_id = ?", userOf(c))).isEqualTo(1);
    for (int i : List.of(0, 1, 3, 5, 6, 7)) {
      cancel(keys.get(i), id(answers.get(i)));
    }
  }

  @Test
  void aDoubleClickWithoutAKeyReturnsTheFirstVideo() throws Exception {
    String key = newKey();
    HttpResponse<String> first = post("/v1/videos", key, SHORT_AD);
    HttpResponse<String> second = post("/v1/videos", key, SHORT_AD.replace("green tea", "GREEN   tea"));

    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(id(second)).isEqualTo(id(first));
    assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    cancel(key, id(first));
  }

  @Test
  void cancelIsIdempotentAndAFinishedCancelCannotBeUndone() throws Exception {
    String key = newKey();
    String id = id(post("/v1/videos", key, SHORT_AD));

    HttpResponse<String> first = send(request("/v1/videos/" + id + "/cancel", key).POST(HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> again = send(request("/v1/videos/" + id + "/cancel", key).POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json.readTree(get("/v1/videos/" + id, key).body()).get("status").asText()).isEqualTo("canceled");
    assertProblem(get("/v1/videos/" + id + "/content", key), 409, "not_ready");
    assertThat(count("select count(*) from job_events where video_id = ?::uuid and event_type = 'video.canceled'", id)).isEqualTo(1);
  }

  @Test
  void aSucceededVideoCannotBeCanceled() throws Exception {
    String key = newKey();
    String id = id(post("/v1/videos", key, SHORT_AD));
    jdbc.sql("update videos set status = 'succeeded' where id = ?::uuid").param(id).update();

    assertProblem(send(request("/v1/videos/" + id + "/cancel", key).POST(HttpRequest.BodyPublishers.noBody())),
        409, "not_cancelable");
  }

  @Test
  void deleteRemovesRowsKeepsAnAuditRowAndIsIdempotent() throws Exception {
    String key = newKey();
    String id = id(post("/v1/videos", key, SHORT_AD));

    HttpResponse<String> deleted = send(request("/v1/videos/" + id, key).DELETE());
    HttpResponse<String> again = send(request("/v1/videos/" + id, key).DELETE());

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(again.statusCode()).isEqualTo(204);
    assertProblem(get("/v1/videos/" + id, key), 404, "not_found");
    assertThat(count("select count(*) from videos where id = ?::uuid", id)).isZero();
    assertThat(count("select count(*) from video_deletions where video_id = ?::uuid", id)).isEqualTo(1);
    assertProblem(send(request("/v1/videos/" + id, newKey()).DELETE()), 404, "not_found");
  }

  @Test
  void deletingAVideoThatAnotherWasServedFromKeepsTheOther() throws Exception {
    String key = newKey();
    String original = id(post("/v1/videos", key, SHORT_AD));
    String copy = id(post("/v1/videos", key, SHORT_AD.replace("green tea", "black tea")));
    jdbc.sql("update videos set cached_from = ?::uuid where id = ?::uuid").params(original, copy).update();

    assertThat(send(request("/v1/videos/" + original, key).DELETE()).statusCode()).isEqualTo(204);
    assertThat(json.readTree(get("/v1/videos/" + copy, key).body()).get("cached_from")).isNull();
    cancel(key, copy);
  }

  @Test
  void aDeleteThatLosesADeadlockIsRunAgainNotAnsweredWithAnError() throws Exception {
    String user = "it-" + UUID.randomUUID();
    String key = apiKeys.create(user, "pro", "integration test");
    UUID original = StoredVideo.of(user, "succeeded").insert(jdbc);
    UUID copy = StoredVideo.of(user, "succeeded").cachedFrom(original).insert(jdbc);
    // Other work holds the copy's row, which deleting the original must change (cached_from goes to
    // null); once the delete waits for it, that work asks for the original's row: a deadlock, and
    // PostgreSQL aborts the delete, which waited first. The API runs its step again.
    try (java.sql.Connection other = dataSource.getConnection()) {
      other.setAutoCommit(false);
      other.createStatement().execute("select 1 from videos where id = '" + copy + "' for update");
      var deleted = HTTP.sendAsync(request("/v1/videos/" + original, key).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from pg_stat_activity"
          + " where wait_event_type = 'Lock' and query like 'delete from videos%'").query(Integer.class).single() == 1);
      other.createStatement().execute("update videos set updated_at = now() where id = '" + original + "'");
      other.commit();

      HttpResponse<String> answer = deleted.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    }
    assertThat(count("select count(*)::int from videos where id = ?::uuid", original.toString())).isZero();
    assertThat(count("select count(*)::int from videos where id = ?::uuid and cached_from is null", copy.toString()))
        .isEqualTo(1);
    assertThat(count("select count(*)::int from video_deletions where video_id = ?::uuid", original.toString()))
        .isEqualTo(1);
  }

  @Test
  void usersSeeOnlyTheirOwnVideosInPagesNewestFirst() throws Exception {
    String mine = newKey("enterprise");
    String theirs = newKey();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(0, id(post("/v1/videos", mine, "{\"prompt\": \"List test ad " + i + "\", \"duration_seconds\": 5}")));
    }
    String foreign = id(post("/v1/videos", theirs, SHORT_AD));
    ids.forEach(id -> cancelQuietly(mine, id));
    cancelQuietly(theirs, foreign);

    JsonNode first = json.readTree(get("/v1/videos?limit=2", mine).body());
    JsonNode second = json.readTree(get("/v1/videos?limit=2&cursor=" + first.get("next_cursor").asText(), mine).body());
    JsonNode third = json.readTree(get("/v1/videos?limit=2&cursor=" + second.get("next_cursor").asText(), mine).body());

    List<String> seen = new ArrayList<>();
    for (JsonNode page : List.of(first, second, third)) {
      page.get("data").forEach(v -> seen.add(v.get("id").asText()));
    }
    assertThat(seen).containsExactlyElementsOf(ids);
    assertThat(third.get("next_cursor")).isNull();
    assertThat(json.readTree(get("/v1/videos?status=canceled", mine).body()).get("data")).hasSize(5);
    assertThat(json.readTree(get("/v1/videos?status=succeeded", mine).body()).get("data")).isEmpty();
    assertProblem(get("/v1/videos?limit=500", mine), 400, "invalid_request");
    assertProblem(get("/v1/videos?cursor=garbage!", mine), 400, "invalid_request");
    assertProblem(get("/v1/videos?status=queue", mine), 400, "invalid_request");
    assertProblem(send(request("/v1/videos/" + ids.get(0) + "/cancel", theirs).POST(HttpRequest.BodyPublishers.noBody())),
        404, "not_found");
  }

  @Test
  void theListIsAnIndexScanNotATableScan() {
    String user = "plan-" + UUID.randomUUID();
    jdbc.sql("""
        insert into videos (id, user_id, original_prompt, prompt_hash, options, status, created_at)
        select gen_random_uuid(), case when g % 50 = 0 then ? else 'crowd-' || (g % 400) end, 'p', 'h', '{}',
               'succeeded', now() - g * interval '1 second' from generate_series(1, 20000) g""").param(user).update();
    jdbc.sql("analyze videos").update();

    String plain = explain(false, user);
    String byStatus = explain(true, user);

    assertThat(plain).contains("Index").doesNotContain("Seq Scan");
    assertThat(byStatus).contains("Index").doesNotContain("Seq Scan");
    jdbc.sql("delete from videos where user_id = ? or user_id like 'crowd-%'").param(user).update();
  }

  @Test
  void theEventFeedIsReadFromItsSequenceIndexAndNoOtherIndexIsKeptForIt() throws Exception {
    try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute("set enable_seqscan = off"); // only an index that fits the read can serve it now
      StringBuilder plan = new StringBuilder();
      try (java.sql.PreparedStatement explain = c.prepareStatement("explain " + io.reelflow.video.JobEvents.AFTER)) {
        explain.setObject(1, UUID.randomUUID());
        explain.setInt(2, 0);
        explain.setInt(3, 100);
        try (java.sql.ResultSet rows = explain.executeQuery()) {
          while (rows.next()) {
            plan.append(rows.getString(1)).append('\n');
          }
        }
      } finally {
        s.execute("reset enable_seqscan");
      }
      assertThat(plan.toString()).contains("job_events_video_seq").doesNotContain("Seq Scan");
    }
    assertThat(jdbc.sql("select indexname from pg_indexes where tablename = 'job_events'").query(String.class).list())
        .as("one index a video's events need (its feed, by seq), and the key").containsExactlyInAnyOrder(
            "job_events_pkey", "job_events_video_seq");
  }

  private String explain(boolean byStatus, String user) {
    String sql = io.reelflow.intake.VideoListing.pageSql(byStatus, false, true);
    List<Object> params = new ArrayList<>(List.of(user));
    if (byStatus) {
      params.add("succeeded");
    }
    params.addAll(List.of(java.time.OffsetDateTime.now(), UUID.randomUUID(), 21));
    return String.join("\n", jdbc.sql("explain " + sql).params(params).query(String.class).list());
  }

  @Test
  void anUnknownFieldAndAWrongTypeAreListed() throws Exception {
    HttpResponse<String> refused = post("/v1/videos", newKey(),
        "{\"prompt\": \"ok\", \"music\": \"yes\", \"colour\": \"red\", \"notify\": {\"email\": \"nope\"}}");

    assertProblem(refused, 400, "invalid_request");
    assertThat(json.readTree(refused.body()).get("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("music", "colour", "notify.email");
  }

  @Test
  void thePrivateNetworkIsNotAReferenceImage() throws Exception {
    HttpResponse<String> refused = post("/v1/videos", newKey(),
        "{\"prompt\": \"ok\", \"reference_image_url\": \"http://169.254.169.254/latest/meta-data\"}");

    assertProblem(refused, 400, "invalid_request");
    assertThat(json.readTree(refused.body()).get("errors").findValuesAsText("field")).containsExactly("reference_image_url");
  }

  @Test
  void theOpenApiDocumentDescribesEveryOperationAndItsProblems() throws Exception {
    HttpResponse<String> doc = HTTP.send(HttpRequest.newBuilder(uri("/v1/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(doc.statusCode()).isEqualTo(200);
    JsonNode api = json.readTree(doc.body());
    assertThat(api.get("openapi").asText()).startsWith("3.");
    assertThat(api.get("paths").has("/v1/videos")).isTrue();
    assertThat(api.get("paths").has("/v1/videos/{id}/events")).isTrue();
    assertThat(api.at("/components/schemas").has("VideoSubmission")).isTrue();
    assertThat(api.at("/components/schemas/VideoSubmission/properties").has("duration_seconds")).isTrue();
    assertThat(api.at("/paths/~1v1~1videos/post/responses/422/content").findValuesAsText("$ref"))
        .containsExactly("#/components/schemas/Problem");
    assertThat(api.at("/components/schemas/VideoSubmission/properties/aspect_ratio/enum")).hasSize(3);
    assertThat(api.at("/components/schemas/VideoSubmission/properties/duration_seconds/maximum").asInt()).isEqualTo(120);
  }

  @Test
  void hundredsOfRandomBodiesGetOnlyAcceptanceOrProblemsAndRejectedOnesStoreNothing() throws Exception {
    List<String> bodies = SubmissionBodies.bodies().sampleStream().limit(300).toList();
    List<String> keys = List.of(newKey("enterprise"), newKey("enterprise"));
    int accepted = 0;
    for (int i = 0; i < bodies.size(); i++) {
      String key = keys.get(i % 2);
      HttpResponse<String> answer = post("/v1/videos", key, bodies.get(i));
      if (answer.statusCode() == 202) {
        accepted += answer.headers().firstValue("Idempotent-Replayed").isPresent() ? 0 : 1;
        cancel(key, json.readTree(answer.body()).get("id").asText());
      } else {
        assertThat(answer.statusCode()).as(bodies.get(i)).isBetween(400, 499);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(answer.body()).get("code").asText()).isNotBlank();
      }
    }
    int stored = count("select count(*) from videos where user_id = ?", userOf(keys.get(0)))
        + count("select count(*) from videos where user_id = ?", userOf(keys.get(1)));
    assertThat(stored).isEqualTo(accepted);
    assertThat(accepted).as("some random bodies are valid").isPositive().isLessThan(bodies.size());
  }

  /**
   * Each key's user has exactly the given number of videos, each counted once for the daily quota
   * (refusals count nothing) and with one plan message and one queued event. The relay must be
   * stopped: it deletes the plan messages it publishes.
   */
  private void assertAdmittedVideos(Map<String, Integer> videosByKey) {
    videosByKey.forEach((key, videosOf) -> {
      String user = userOf(key);
      assertThat(count("select count(*)::int from videos where user_id = ?", user)).as(user + "'s videos").isEqualTo(videosOf);
      assertThat(count("select coalesce(sum(submitted), 0)::int from submissions_by_hour where user_id = ?", user))
          .as(user + "'s count for the daily quota: refusals count nothing").isEqualTo(videosOf);
      assertThat(count("select count(*)::int from outbox o join videos v on v.id = o.aggregate_id"
          + " where v.user_id = ? and o.destination = 'video.plan'", user)).as("one plan message a video").isEqualTo(videosOf);
      assertThat(count("select count(*)::int from job_events e join videos v on v.id = e.video_id"
          + " where v.user_id = ? and e.event_type = 'video.queued'", user)).as("one queued event a video").isEqualTo(videosOf);
    });
  }

  private void cancel(String key, String id) throws Exception {
    assertThat(send(request("/v1/videos/" + id + "/cancel", key).POST(HttpRequest.BodyPublishers.noBody())).statusCode())
        .isEqualTo(200);
  }

  private void cancelQuietly(String key, String id) {
    try {
      cancel(key, id);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String id(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json.readTree(response.body()).get("id").asText();
  }

  private String userOf(String key) {
    return apiKeys.authenticate("Bearer " + key).userId();
  }

  private int count(String sql, Object param) {
    return jdbc.sql(sql).param(param).query(Integer.class).single();
  }

  private void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = json.readTree(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(problem.get("code").asText()).isEqualTo(code);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("type").asText()).startsWith("https://");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.reelflow");
  }
}
