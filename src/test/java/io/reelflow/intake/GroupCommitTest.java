package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

class GroupCommitTest {

  /** Counts what the batches did with their transactions. */
  private static final class CountingTransactions extends AbstractPlatformTransactionManager {
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger rollbacks = new AtomicInteger();

    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {}

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
      commits.incrementAndGet();
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
      rollbacks.incrementAndGet();
    }
  }

  private final CountingTransactions transactions = new CountingTransactions();
  private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private GroupCommit<String, String> group;

  @AfterEach
  void stop() {
    if (group != null) {
      group.stop();
    }
    callers.shutdownNow();
  }

  private GroupCommit<String, String> start(Consumer<List<String>> prepare, Function<String, String> apply) {
    // the batch's work as Submissions does it: something for the whole batch, then each item's
    // answer or refusal
    group = new GroupCommit<>("test", 1, 64, new TransactionTemplate(transactions), items -> {
      batches.add(List.copyOf(items));
      prepare.accept(items);
      List<Object> answers = new ArrayList<>();
      for (String item : items) {
        try {
          answers.add(apply.apply(item));
        } catch (ApiException refusal) {
          answers.add(refusal);
        }
      }
      return answers;
    }, new SimpleMeterRegistry());
    return group;
  }

  @Test
  void itemsThatArriveWhileTheWriterIsBusyAreCommittedTogether() throws Exception {
    CountDownLatch firstBatchHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(holdingOn("first", firstBatchHeld, release), item -> item.toUpperCase());

    Future<String> first = callers.submit(() -> group.run("first"));
    firstBatchHeld.await(10, TimeUnit.SECONDS);
    List<Future<String>> later = new ArrayList<>();
    for (String item : List.of("a", "b", "c", "d", "e")) {
      later.add(callers.submit(() -> group.run(item)));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 5);
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("FIRST");
    List<String> answers = new ArrayList<>();
    for (Future<String> answer : later) {
      answers.add(answer.get(10, TimeUnit.SECONDS));
    }
    assertThat(answers).containsExactly("A", "B", "C", "D", "E");
    assertThat(batches).hasSize(2);
    assertThat(batches.get(1)).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
    assertThat(transactions.commits).hasValue(2);
  }

  @Test
  void aRefusalAnswersOnlyItsOwnItemAndTheBatchCommits() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(holdingOn("hold", held, release), item -> {
      if (item.equals("refused")) {
        throw ApiException.invalid("prompt", "refused");
      }
      return item + "!";
    });
    callers.submit(() -> group.run("hold"));
    held.await(10, TimeUnit.SECONDS);
    Future<String> before = callers.submit(() -> group.run("before"));
    Future<String> refused = callers.submit(() -> group.run("refused"));
    Future<String> after = callers.submit(() -> group.run("after"));
    await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 3);
    int commitsBefore = transactions.commits.get();
    release.countDown();

    assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("before!");
    assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("after!");
    assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ApiException.class)
        .cause().hasFieldOrPropertyWithValue("code", "invalid_request");
    assertThat(batches.get(1)).containsExactlyInAnyOrder("before", "refused", "after");
    assertThat(transactions.commits.get() - commitsBefore).as("one commit for the held batch, one for the batch of three").isEqualTo(2);
    assertThat(transactions.rollbacks).hasValue(0);
  }

  @Test
  void aFailureRollsTheBatchBackAndRunsEachItemAloneSoOnlyItsCallerSeesIt() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> applied = Collections.synchronizedList(new ArrayList<>());
    start(holdingOn("hold", held, release), item -> {
      applied.add(item);
      if (item.equals("broken")) {
        throw new IllegalStateException("the database said no");
      }
      return item + "!";
    });
    callers.submit(() -> group.run("hold"));
    held.await(10, TimeUnit.SECONDS);
    Future<String> good = callers.submit(() -> group.run("good"));
    await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 1); // good is applied before broken
    Future<String> broken = callers.submit(() -> group.run("broken"));
    await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 2);
    release.countDown();

    assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo("good!");
    assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the database said no");
    assertThat(transactions.rollbacks).as("the shared batch, then the broken item alone").hasValue(2);
    assertThat(batches.subList(2, batches.size())).as("each item again in a batch of its own")
        .containsExactlyInAnyOrder(List.of("good"), List.of("broken"));
    assertThat(applied.stream().filter("good"::equals)).as("run twice; the first run was rolled back").hasSize(2);
  }

  @Test
  void aBatchThatRanOutOfTimeIsAnsweredBusyWithoutRunningEachItemAgain() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(holdingOn("hold", held, release), item -> {
      if (item.equals("slow")) {
        throw new org.springframework.dao.QueryTimeoutException("canceled",
            new java.sql.SQLException("canceling statement due to statement timeout", "57014"));
      }
      return item + "!";
    });
    callers.submit(() -> group.run("hold"));
    held.await(10, TimeUnit.SECONDS);
    Future<String> other = callers.submit(() -> group.run("other"));
    Future<String> slow = callers.submit(() -> group.run("slow"));
    await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 2);
    release.countDown();

    for (Future<String> answer : List.of(other, slow)) {
      assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ApiException.class)
          .hasFieldOrPropertyWithValue("code", "busy").hasFieldOrPropertyWithValue("status", 503);
    }
    assertThat(batches).as("the held batch and the one that timed out, nothing run alone").hasSize(2);
    assertThat(group.run("next")).as("the writer goes on").isEqualTo("next!");
  }

  @Test
  void aTimeoutIsToldFromOtherFailuresByItsSqlStateSpringsDeadlineOrNoConnection() {
    assertThat(GroupCommit.timedOut(new org.springframework.jdbc.UncategorizedSQLException("insert", "insert",
        new java.sql.SQLException("canceling statement due to statement timeout", "57014")))).isTrue();
    assertThat(GroupCommit.timedOut(new org.springframework.transaction.TransactionTimedOutException("deadline")))
        .isTrue();
    assertThat(GroupCommit.timedOut(new org.springframework.transaction.CannotCreateTransactionException(
        "no connection", new java.sql.SQLTransientConnectionException("pool timed out")))).as("no connection in time")
        .isTrue();
    assertThat(GroupCommit.timedOut(new org.springframework.dao.DataIntegrityViolationException("dup",
        new java.sql.SQLException("duplicate key", "23505")))).isFalse();
    assertThat(GroupCommit.timedOut(new IllegalStateException("no cause"))).isFalse();
  }

  @Test
  void anErrorAnswersItsBatchAndTheWriterGoesOnWithTheNext() {
    start(items -> {}, item -> {
      if (item.equals("fatal")) {
        throw new OutOfMemoryError("pretend");
      }
      return item + "!";
    });

    assertThatThrownBy(() -> group.run("fatal")).hasRootCauseInstanceOf(OutOfMemoryError.class);
    assertThat(group.run("next")).as("the only writer still runs").isEqualTo("next!");
  }

  @Test
  void afterStopASubmissionIsAnsweredUnavailableNotLeftWaiting() {
    start(items -> {}, item -> item);
    group.stop();

    assertThatThrownBy(() -> group.run("late")).isInstanceOf(ApiException.class)
        .hasFieldOrPropertyWithValue("code", "unavailable").hasFieldOrPropertyWithValue("status", 503);
  }

  /** Holds the batch that contains {@code item} until {@code release}, after counting down {@code held}. */
  private static Consumer<List<String>> holdingOn(String item, CountDownLatch held, CountDownLatch release) {
    return items -> {
      if (items.contains(item)) {
        held.countDown();
        hold(release);
      }
    };
  }

  private static void hold(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
