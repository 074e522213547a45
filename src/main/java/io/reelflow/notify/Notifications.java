package io.reelflow.notify;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.intake.ApiException;
import io.reelflow.intake.Caller;
import io.reelflow.net.UnsafeUrlException;
import io.reelflow.video.Delivery;
import io.reelflow.video.JobEvents;
import io.reelflow.video.NotificationRequest;
import io.reelflow.video.Video;
import io.reelflow.video.Videos;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code notifications} table, one row per (video, event, channel): planned from the user's
 * preferences when a {@code notify.send} message comes, claimed by compare-and-set before every
 * send, marked sent, retried with doubling back-off within the retry window, or dead. A row keeps
 * one message id for all its attempts, so a resend after a crash between "sent" and "marked sent"
 * is a copy the receiver recognises. Every attempt is recorded ({@code notification_attempts}).
 */
@Component("notifications")
public class Notifications {

  /** A delivery to make now: the row, claimed by this instance. */
  public record Notification(UUID id, UUID videoId, String userId, String event, String channel, String target,
      String messageId, int attempt, OffsetDateTime createdAt) {}

  /** A delivery as {@code GET /v1/videos/{id}/notifications} shows it. */
  public record View(String event, String channel, String status, int attempts,
      @JsonProperty("message_id") String messageId, @JsonProperty("sent_at") OffsetDateTime sentAt,
      @JsonProperty("next_attempt_at") OffsetDateTime nextAttemptAt, @JsonProperty("last_error") String lastError,
      @JsonProperty("attempt_log") List<Attempt> attemptLog) {}

  /** One attempt of a delivery. */
  public record Attempt(int attempt, @JsonProperty("at") OffsetDateTime at, String outcome, String reply,
      String error) {}

  private static final String COLUMNS = "n.id, n.video_id, v.user_id, n.event_type, n.channel, n.target,"
      + " n.message_id, n.attempts, n.created_at";

  private final JdbcClient jdbc;
  private final Videos videos;
  private final JobEvents events;
  private final NotificationPreferences preferences;
  private final NotifySettings settings;
  private final MeterRegistry meters;

  Notifications(JdbcClient jdbc, Videos videos, JobEvents events, NotificationPreferences preferences,
      NotifySettings settings, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.videos = videos;
    this.events = events;
    this.preferences = preferences;
    this.settings = settings;
    this.meters = meters;
  }

  /**
   * Plans the deliveries of {@code request}: the video's feed at once (terminal events), then one
   * row per channel the user wants for the event and has a target for; returns those this
   * instance claimed. A
   * repeated request (a redelivered message, a republished outbox entry) plans nothing new.
   */
  @Transactional
  public List<Notification> plan(NotificationRequest request) {
    Video video = videos.find(request.videoId()).orElse(null);
    if (video == null) {
      return List.of();
    }
    boolean terminal = !request.event().equals("video.started");
    int fed = !terminal ? 0 : jdbc.sql("insert into notifications (id, video_id, event_type, channel, status, attempts, sent_at,"
            + " message_id) values (?, ?, ?, 'feed', 'sent', 1, now(), ?) on conflict do nothing")
        .params(UUID.randomUUID(), video.id(), request.event(), messageId())
        .update();
    if (fed == 1) {
      events.append(video.id(), null, "notification.sent", "notifications",
          Map.of("event", request.event(), "channel", "feed"));
    }
    NotificationPreferences.Settings chosen = preferences.of(video.userId());
    for (String channel : NotificationPreferences.channels(chosen, request.event())) {
      String target = target(channel, video.delivery(), chosen);
      if (target != null) {
        jdbc.sql("insert into notifications (id, video_id, event_type, channel, status, target, message_id,"
                + " next_attempt_at) values (?, ?, ?, ?, 'pending', ?, ?, now()) on conflict do nothing")
            .params(UUID.randomUUID(), video.id(), request.event(), channel, target, messageId())
            .update();
      }
    }
    return claim("n.video_id = ? and n.event_type = ? and n.status = 'pending'", video.id(), request.event());
  }

  /**
   * Claims deliveries due again: failed ones whose back-off ended, and ones left "sending" by an
   * instance that died between sending and marking (sent again with the same message id).
   */
  public List<Notification> claimDue() {
    return claim("((n.status in ('pending', 'failed') and n.next_attempt_at <= now())"
        + " or (n.status = 'sending' and n.claimed_until < now()))");
  }

  /** Marks a delivery sent; {@code reply} is what the receiver answered. */
  @Transactional
  public void sent(@ExchangeProperty("notification") Notification n, @Header("notificationReply") String reply) {
    int moved = jdbc.sql("update notifications set status = 'sent', sent_at = now(), claimed_until = null,"
            + " last_status = ?, last_error = null where id = ? and status = 'sending'")
        .params(reply, n.id())
        .update();
    attempt(n, "sent", reply, null);
    if (moved == 1) {
      events.append(n.videoId(), null, "notification.sent", "notifications",
          Map.of("event", n.event(), "channel", n.channel(), "message_id", n.messageId()));
      meters.counter("reelflow.notifications.sent", "channel", n.channel()).increment();
    }
  }

  /**
   * What a webhook receiver answered: 2xx is sent; 408, 429 and 5xx are tried again; any other
   * status will not change by retrying, so the delivery is dead.
   */
  @Transactional
  public void answered(@ExchangeProperty("notification") Notification n,
      @Header(Exchange.HTTP_RESPONSE_CODE) Integer status) {
    int code = status == null ? 0 : status;
    String reply = "HTTP " + code;
    if (code / 100 == 2) {
      sent(n, reply);
    } else {
      retryOrGiveUp(n, reply, "the receiver answered " + code, code != 408 && code != 429 && code < 500);
    }
  }

  /** A delivery that threw: an unsafe target is dead; anything else (timeouts, resets) is tried again. */
  @Transactional
  public void failed(@ExchangeProperty("notification") Notification n,
      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable error) {
    Throwable cause = error;
    while (cause != null && !(cause instanceof UnsafeUrlException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    boolean unsafe = cause instanceof UnsafeUrlException;
    String message = error == null ? "unknown failure" : error.getClass().getSimpleName() + ": " + error.getMessage();
    retryOrGiveUp(n, null, unsafe ? "refused target: " + cause.getMessage() : message, unsafe);
  }

  /** The caller's video's deliveries, with their attempts. */
  public List<View> of(@ExchangeProperty("caller") Caller caller, @Header("id") String id) {
    UUID videoId;
    try {
      videoId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound(id);
    }
    videos.findOwned(videoId, caller.userId()).orElseThrow(() -> ApiException.notFound(id));
    Map<UUID, List<Attempt>> attempts = new HashMap<>();
    jdbc.sql("select a.notification_id, a.attempt, a.attempted_at, a.outcome, a.reply, a.error"
            + " from notification_attempts a join notifications n on n.id = a.notification_id"
            + " where n.video_id = ? order by a.id")
        .param(videoId)
        .query((rs, n) -> attempts.computeIfAbsent(rs.getObject("notification_id", UUID.class), k -> new ArrayList<>())
            .add(new Attempt(rs.getInt("attempt"), rs.getObject("attempted_at", OffsetDateTime.class),
                rs.getString("outcome"), rs.getString("reply"), rs.getString("error"))))
        .list();
    return jdbc.sql("select id, event_type, channel, status, attempts, message_id, sent_at, next_attempt_at, last_error"
            + " from notifications where video_id = ? order by created_at, channel")
        .param(videoId)
        .query((rs, n) -> {
          String status = rs.getString("status");
          return new View(rs.getString("event_type"), rs.getString("channel"), status, rs.getInt("attempts"),
              rs.getString("message_id"), rs.getObject("sent_at", OffsetDateTime.class),
              status.equals("failed") ? rs.getObject("next_attempt_at", OffsetDateTime.class) : null,
              rs.getString("last_error"), attempts.getOrDefault(rs.getObject("id", UUID.class), List.of()));
        })
        .list();
  }

  private void retryOrGiveUp(Notification n, String reply, String error, boolean permanent) {
    Duration delay = backoff(n.attempt());
    boolean expired = n.createdAt().toInstant().plus(settings.retryWindow()).isBefore(Instant.now().plus(delay));
    if (permanent || expired) {
      int moved = jdbc.sql("update notifications set status = 'dead', claimed_until = null, last_status = ?,"
              + " last_error = ? where id = ? and status = 'sending'")
          .params(reply, Videos.truncate(error), n.id())
          .update();
      attempt(n, "dead", reply, error);
      if (moved == 1) {
        events.append(n.videoId(), null, "notification.dead", "notifications",
            Map.of("event", n.event(), "channel", n.channel(), "error", Videos.truncate(error)));
        meters.counter("reelflow.notifications.dead", "channel", n.channel()).increment();
      }
      return;
    }
    jdbc.sql("update notifications set status = 'failed', claimed_until = null, last_status = ?, last_error = ?,"
            + " next_attempt_at = now() + make_interval(secs => ?) where id = ? and status = 'sending'")
        .params(reply, Videos.truncate(error), delay.toMillis() / 1000.0, n.id())
        .update();
    attempt(n, "retry", reply, error);
  }

  /** Doubling from the initial back-off, capped, less up to a fifth at random so retries spread. */
  private Duration backoff(int attempt) {
    long initial = settings.initialBackoff().toMillis();
    long capped = Math.min(settings.maxBackoff().toMillis(), initial << Math.min(20, Math.max(0, attempt - 1)));
    return Duration.ofMillis(capped - (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble()));
  }

  private void attempt(Notification n, String outcome, String reply, String error) {
    jdbc.sql("insert into notification_attempts (notification_id, attempt, outcome, reply, error)"
            + " values (?, ?, ?, ?, ?)")
        .params(n.id(), n.attempt(), outcome, reply, error == null ? null : Videos.truncate(error))
        .update();
  }

  private List<Notification> claim(String where, Object... params) {
    return jdbc.sql("update notifications n set status = 'sending', attempts = n.attempts + 1,"
            + " claimed_until = now() + make_interval(secs => " + settings.claimSeconds() + ")"
            + " from videos v where v.id = n.video_id and n.id in (select n.id from notifications n where "
            + where + " and n.channel <> 'feed' order by n.created_at limit 50 for update skip locked)"
            + " returning " + COLUMNS)
        .params(params)
        .query((rs, i) -> new Notification(rs.getObject("id", UUID.class), rs.getObject("video_id", UUID.class),
            rs.getString("user_id"), rs.getString("event_type"), rs.getString("channel"), rs.getString("target"),
            rs.getString("message_id"), rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class)))
        .list();
  }

  private static String target(String channel, Delivery delivery, NotificationPreferences.Settings chosen) {
    Delivery own = delivery == null ? Delivery.NONE : delivery;
    return switch (channel) {
      case "webhook" -> own.callbackUrl() != null ? own.callbackUrl() : chosen.webhookUrl();
      case "email" -> own.email() != null ? own.email() : chosen.email();
      case "push" -> own.pushToken() != null ? own.pushToken() : chosen.pushToken();
      default -> null;
    };
  }

  private static String messageId() {
    return "msg_" + UUID.randomUUID().toString().replace("-", "");
  }
}
