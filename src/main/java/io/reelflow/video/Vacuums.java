package io.reelflow.video;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Vacuums the tables whose rows come and go many times a second ({@link #TABLES}: the outbox, the
 * provider slot leases), each when this instance deleted rows from it since its last run.
 *
 * <p>Why here and not only by autovacuum: those tables are read from an index over rows that are
 * mostly deleted (the relay's claim from the outbox's oldest entry, a slot grant over a provider's
 * leases), and a deleted row's index entry stays, each read stepping over it, until a vacuum. At a
 * thousand hand-overs a second that is sixty thousand a minute, the default autovacuum's period;
 * with autovacuum off (as on the CI machine) an outbox claim read 34,000 buffers and took 9 ms, and
 * the relay's claims were two thirds of PostgreSQL's time under submission load
 * (docs/benchmarks.md, tenth session). Vacuum takes a lock that lets inserts and deletes go on;
 * SKIP_LOCKED leaves a table to another instance's vacuum that holds it, and it does not truncate
 * the table's empty end, which would lock out inserts for a moment (the space is reused).
 */
@Component
public class Vacuums {

  /** The tables this vacuums: their names go into the statement, so only these. */
  public static final Set<String> TABLES = Set.of("outbox", "provider_slot_leases");

  private final JdbcClient jdbc;
  private final Map<String, AtomicLong> deleted = new ConcurrentHashMap<>();

  Vacuums(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** {@code rows} rows of {@code table} (one of {@link #TABLES}) were deleted. */
  public void deleted(String table, long rows) {
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("not a table vacuumed here: " + table);
    }
    if (rows > 0) {
      deleted.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(rows);
    }
  }

  /** Vacuums each table rows were deleted from since the last run. */
  public void run() {
    for (String table : TABLES) {
      AtomicLong count = deleted.get(table);
      if (count != null && count.getAndSet(0) > 0) {
        jdbc.sql("vacuum (skip_locked, truncate false) " + table).update();
      }
    }
  }
}
