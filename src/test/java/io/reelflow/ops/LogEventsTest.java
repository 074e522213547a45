package io.reelflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Log events are counted by level when written, and a level check alone counts nothing. */
class LogEventsTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final LogEvents events = new LogEvents(meters);
  private final Logger log = (Logger) LoggerFactory.getLogger("io.reelflow.ops.LogEventsTest.subject");

  @BeforeEach
  void attach() {
    log.setLevel(Level.INFO);
    events.attach();
  }

  @AfterEach
  void detach() {
    events.detach();
    log.setLevel(null);
  }

  private double count(String level) {
    return meters.get("logback.events").tag("level", level).counter().count();
  }

  @Test
  void writtenEventsAreCountedByLevel() {
    log.warn("a warning");
    log.warn("another");
    log.error("an error");
    log.info("news");
    assertThat(count("warn")).isEqualTo(2);
    assertThat(count("error")).isEqualTo(1);
    assertThat(count("info")).isEqualTo(1);
  }

  @Test
  void eventsBelowTheLevelAndLevelChecksCountNothing() {
    log.debug("not written at INFO");
    log.trace("nor this");
    assertThat(log.isDebugEnabled()).isFalse();
    assertThat(count("debug")).isZero();
    assertThat(count("trace")).isZero();
  }

  @Test
  void detachedItCountsNoMore() {
    events.detach();
    log.warn("after");
    assertThat(count("warn")).isZero();
    events.attach();
  }
}
