package io.reelflow.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Counts the log events written, by level, as {@code logback.events}: the meter Micrometer's
 * LogbackMetrics keeps, counted here by an appender on the root logger instead of a logback turbo
 * filter. Logback asks every turbo filter on every level check, including each {@code
 * isTraceEnabled()} and {@code isDebugEnabled()} that Camel's routing engine makes at every step of
 * every exchange, which without a turbo filter cost a field read: under status reads they were
 * about a tenth of the JVM's CPU samples in a profile (docs/benchmarks.md, eleventh session). An appender sees
 * only the events that are written. Spring Boot's {@code LogbackMetricsAutoConfiguration} is
 * excluded for it (config/application.yaml).
 */
@Component
class LogEvents {

  static final String APPENDER = "reelflow-log-events";

  private final Counting appender;

  LogEvents(MeterRegistry meters) {
    this.appender = new Counting(meters);
  }

  @PostConstruct
  void attach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  @PreDestroy
  void detach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }

  private static final class Counting extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final Counter error;
    private final Counter warn;
    private final Counter info;
    private final Counter debug;
    private final Counter trace;

    Counting(MeterRegistry meters) {
      error = counter(meters, "error");
      warn = counter(meters, "warn");
      info = counter(meters, "info");
      debug = counter(meters, "debug");
      trace = counter(meters, "trace");
    }

    private static Counter counter(MeterRegistry meters, String level) {
      return Counter.builder("logback.events").tag("level", level).baseUnit("events")
          .description("Number of log events that were enabled by the effective log level").register(meters);
    }

    @Override
    protected void append(ILoggingEvent event) {
      switch (event.getLevel().toInt()) {
        case Level.ERROR_INT -> error.increment();
        case Level.WARN_INT -> warn.increment();
        case Level.INFO_INT -> info.increment();
        case Level.DEBUG_INT -> debug.increment();
        default -> trace.increment();
      }
    }
  }
}
