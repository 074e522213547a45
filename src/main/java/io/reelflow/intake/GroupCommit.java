package io.reelflow.intake;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs items that callers on many threads hand in, in batches, each batch in one transaction on a
 * few writer threads; a caller waits for its own item's answer, which it gets only after the batch
 * committed.
 *
 * <p>Why: on the 2-core machine a submission's work in PostgreSQL is small, but one transaction
 * per request made 64 concurrent requests queue for 20 pooled connections and for the WAL flush of
 * each commit (docs/benchmarks.md). A batch shares one connection, one commit and one lock
 * statement among the requests that arrived together. Nothing waits to fill a batch: a writer takes
 * whatever is queued when it is free, so one request alone is a batch of one.
 *
 * <p>The contract with {@code work}: it answers each item of the batch in order, with its result or
 * its refusal ({@link ApiException}); a refusal does not abort the batch, so {@code work} must not
 * write for an item it refuses (see {@link Submissions}). Any other failure (a database error aborts the
 * whole transaction) rolls the batch back and runs each of its items again alone, so one item's
 * fault reaches only its own caller. A batch that ran out of time (the transaction's timeout, set
 * on {@code transactions}: a statement canceled by it, or the deadline passed before the next one)
 * or that got no transaction at all (no pooled connection in time)
 * is not run again item by item, which would make each item wait as long again: it was rolled back,
 * so each of its items is answered 503 {@code busy}, safe to repeat. So a caller waits at most for
 * the batch ahead of its own and its own, however long the database would have kept them.
 *
 * @param <I> an item
 * @param <R> its answer
 */
final class GroupCommit<I, R> {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** How often an idle writer looks whether it should stop. */
  private static final long IDLE_CHECK_MS = 200;

  private record Pending<I, R>(I item, CompletableFuture<R> answer) {}

  private final BlockingQueue<Pending<I, R>> queue = new LinkedBlockingQueue<>();
  private final TransactionTemplate transactions;
  private final Function<List<I>, List<?>> work;
  private final int maxBatch;
  private final DistributionSummary batchSizes;
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean stopping;

  /**
   * @param work runs a batch's items in its transaction and answers each, in order, with an
   *     {@code R} or an {@link ApiException} (its refusal); a batch of one when an item runs alone
   */
  GroupCommit(String name, int writers, int maxBatch, TransactionTemplate transactions, Function<List<I>, List<?>> work,
      MeterRegistry meters) {
    if (writers < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("writers and max-batch must be at least 1");
    }
    this.transactions = transactions;
    this.work = work;
    this.maxBatch = maxBatch;
    this.batchSizes = DistributionSummary.builder("reelflow.group.commit.batch")
        .description("items committed together in one transaction").tag("name", name).register(meters);
    Gauge.builder("reelflow.group.commit.waiting", queue, Queue::size)
        .description("items handed in that no writer has taken yet").tag("name", name).register(meters);
    for (int i = 0; i < writers; i++) {
      Thread writer = new Thread(this::write, name + "-writer-" + i);
      writer.setDaemon(true);
      this.writers.add(writer);
      writer.start();
    }
  }

  /**
   * The item's answer once its batch committed.
   *
   * @throws ApiException the item's refusal, or 503 {@code unavailable} when this instance stops
   * @throws RuntimeException what running the item alone threw
   */
  R run(I item) {
    if (stopping) {
      throw unavailable();
    }
    CompletableFuture<R> answer = new CompletableFuture<>();
    Pending<I, R> pending = new Pending<>(item, answer);
    queue.add(pending);
    if (stopping && queue.remove(pending)) { // stop() may have drained the queue before the add
      throw unavailable();
    }
    try {
      return answer.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Items handed in that no writer has taken yet. */
  int waiting() {
    return queue.size();
  }

  /** Stops the writers after the batches they hold; items still queued are answered 503. */
  void stop() {
    stopping = true;
    for (Thread writer : writers) {
      try {
        writer.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Pending<I, R>> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(p -> p.answer().completeExceptionally(unavailable()));
  }

  private void write() {
    List<Pending<I, R>> batch = new ArrayList<>(maxBatch);
    while (!stopping) {
      try {
        Pending<I, R> first = queue.poll(IDLE_CHECK_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, maxBatch - 1);
      try {
        runBatch(batch);
      } catch (RuntimeException e) {
        if (timedOut(e)) {
          log.warn("a batch of {} ran out of time and was rolled back: {}", batch.size(), e.getMessage());
          batch.forEach(p -> p.answer().completeExceptionally(outOfTime()));
        } else {
          log.warn("a batch of {} failed as a whole; running its items one by one", batch.size(), e);
          batch.forEach(this::runAlone);
        }
      } catch (Error e) { // answered, and the writer goes on: a dead writer would leave every later caller waiting
        log.error("a batch of {} failed", batch.size(), e);
        batch.forEach(p -> p.answer().completeExceptionally(e));
      }
      batchSizes.record(batch.size());
      batch.clear();
    }
  }

  /** Every item's answer or refusal, completed only after the commit. */
  private void runBatch(List<Pending<I, R>> batch) {
    List<?> outcomes = transactions.execute(status -> work.apply(batch.stream().map(Pending::item).toList()));
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i).answer(), outcomes.get(i));
    }
  }

  private void runAlone(Pending<I, R> pending) {
    try {
      complete(pending.answer(), transactions.execute(status -> work.apply(List.of(pending.item()))).get(0));
    } catch (RuntimeException e) {
      pending.answer().completeExceptionally(timedOut(e) ? outOfTime() : e);
    } catch (Error e) {
      pending.answer().completeExceptionally(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <R> void complete(CompletableFuture<R> answer, Object outcome) {
    if (outcome instanceof ApiException refusal) {
      answer.completeExceptionally(refusal);
    } else {
      answer.complete((R) outcome);
    }
  }

  /**
   * Whether {@code failure} is a wait that running each item alone would repeat: the transaction's
   * timeout (Spring's deadline passed between statements, or PostgreSQL canceled a statement that
   * outlived it, SQLSTATE 57014), or no transaction at all (no pooled connection within the pool's
   * own timeout).
   */
  static boolean timedOut(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TransactionTimedOutException || t instanceof CannotCreateTransactionException
          || t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static ApiException outOfTime() {
    return ApiException.retryShortly("busy", "Busy", "the database could not complete the request in time; nothing"
        + " was stored, and it is safe to retry in a moment");
  }

  private static ApiException unavailable() {
    return ApiException.unavailable("this instance is stopping; repeat the request in a moment");
  }
}
