package io.reelflow.video;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Messages that must leave after a state change commits. {@link #enqueue} joins the caller's
 * transaction; the maintenance relay route claims batches, publishes them to RabbitMQ
 * ({@link OutboxPublisher}: one confirm wait a batch) and deletes them (one statement); a timer
 * vacuums the table ({@link Vacuums}).
 * The commit of a transaction that enqueued wakes this instance's relay at once ({@link #WAKE}),
 * so a hand-over does not wait for the relay's next period. A crash between publish and delete
 * publishes again: consumers are idempotent. An entry published again (its claim lapsed: the relay
 * that claimed it died) is written to its video's feed as {@code reconciler.outbox_republished}.
 */
@Component
public class Outbox {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  /** The relay route's queue: one wake waits while a run is busy, further ones are dropped. */
  public static final String WAKE = "seda:outbox-relay?size=1&discardWhenFull=true";

  /** One message to publish to the queue named by {@code destination}, with an AMQP priority or none. */
  public record Entry(long id, String destination, Integer priority, String payload) {}

  private final JdbcClient jdbc;
  private final Json json;
  private final JobEvents events;
  private final MeterRegistry meters;
  private final ProducerTemplate relay;
  private final Vacuums vacuums;
  /**
   * A wake is on its way to the relay and its run has not begun: later commits need not send one
   * (each send is a Camel exchange; in a JFR profile of the submission benchmark the sends took more
   * CPU than the relay's runs). Cleared when a run claims, so a commit after that wakes the relay again.
   */
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final TransactionSynchronization wakeAfterCommit = new TransactionSynchronization() {
    @Override
    public void afterCommit() {
      wake();
    }
  };

  Outbox(JdbcClient jdbc, Json json, JobEvents events, MeterRegistry meters, ProducerTemplate relay, Vacuums vacuums) {
    this.jdbc = jdbc;
    this.json = json;
    this.events = events;
    this.meters = meters;
    this.relay = relay;
    this.vacuums = vacuums;
  }

  /** Adds a message inside the current transaction, and wakes the relay when it commits. */
  public void enqueue(UUID aggregateId, String destination, Object payload) {
    jdbc.sql(INSERT + " values (?, ?, cast(? as jsonb))")
        .params(aggregateId, destination, json.write(payload))
        .update();
    enqueued();
  }

  /**
   * Adds one scene message for each of {@code messages} to {@code queue}, with its priority, in one
   * statement inside the current transaction; the relay publishes them together (one channel, one
   * confirm wait) when it commits.
   */
  public void enqueueScenes(UUID videoId, SceneQueue queue, List<SceneMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<Object> values = new ArrayList<>();
    for (SceneMessage message : messages) {
      values.addAll(List.of(videoId, queue.name(), queue.priority(), json.write(message)));
    }
    jdbc.sql("insert into outbox (aggregate_id, destination, priority, payload) values "
            + String.join(", ", Collections.nCopies(messages.size(), "(?, ?, ?, cast(? as jsonb))")))
        .params(values)
        .update();
    enqueued();
  }

  /**
   * The head of an entry's insert, for a statement that writes its entry among other rows; the
   * row follows as (aggregate id, destination, payload as jsonb). The caller then calls
   * {@link #enqueued}.
   */
  static final String INSERT = "insert into outbox (aggregate_id, destination, payload)";

  /** An entry was written in the current transaction: wake the relay when it commits. */
  void enqueued() {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(wakeAfterCommit);
    } else {
      wake();
    }
  }

  /**
   * Wakes the relay. Runs after the caller's commit, so a failure here (a stopping context) must
   * not reach the caller as a failure of what it committed: the relay's timer publishes the row.
   */
  private void wake() {
    if (!wakePending.compareAndSet(false, true)) {
      return;
    }
    try {
      relay.sendBody(WAKE, null);
    } catch (RuntimeException e) {
      wakePending.set(false);
      log.warn("could not wake the outbox relay; its timer publishes the row: {}", e.getMessage());
    }
  }

  /**
   * Claims up to {@code limit} entries for {@code claimSeconds}, oldest first (every row is
   * unpublished: a published one is deleted); safe with several instances (SKIP LOCKED), and an
   * entry whose claim lapsed is claimed again. A commit from now on wakes the relay again.
   */
  @Transactional
  public List<Entry> claimBatch(int limit, int claimSeconds) {
    wakePending.set(false);
    return jdbc.sql(
            """
            update outbox set claimed_until = now() + make_interval(secs => ?), attempts = attempts + 1
             where id in (select id from outbox
                           where claimed_until is null or claimed_until < now()
                           order by id limit ? for update skip locked)
            returning id, destination, priority, payload::text as payload, aggregate_id, attempts
            """)
        .params(claimSeconds, limit)
        .query((rs, n) -> {
          Entry entry = new Entry(rs.getLong("id"), rs.getString("destination"), rs.getObject("priority", Integer.class),
              rs.getString("payload"));
          if (rs.getInt("attempts") > 1) {
            events.append(rs.getObject("aggregate_id", UUID.class), null, "reconciler.outbox_republished", "maintenance",
                Map.of("destination", entry.destination(), "outbox_id", entry.id(), "attempt", rs.getInt("attempts")));
            meters.counter("reelflow.reconciler.actions", "kind", "outbox_republished").increment();
          }
          return entry;
        })
        .list()
        .stream()
        .sorted(Comparator.comparingLong(Entry::id))
        .toList();
  }

  /**
   * Deletes entries once the broker confirmed them, in one statement; idempotent. A published entry
   * has done its work (the video's feed and rows keep the history), and a table that kept every
   * entry grew by one row per hand-over for ever.
   */
  public void removePublished(List<Long> ids) {
    if (ids.isEmpty()) {
      return;
    }
    vacuums.deleted("outbox", jdbc.sql("delete from outbox where id = any(?)")
        .param(ids.toArray(Long[]::new))
        .update());
  }

}
