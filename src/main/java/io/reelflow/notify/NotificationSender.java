package io.reelflow.notify;

import io.reelflow.video.JobEvents;
import io.reelflow.video.NotificationRequest;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records each (video, event, channel) notification exactly once. This foundation has one
 * channel, {@code feed}: the event becomes visible in the video's event feed. Webhook, email and
 * push deliveries build on the same claim.
 */
@Component("notificationSender")
public class NotificationSender {

  private final JdbcClient jdbc;
  private final JobEvents events;

  NotificationSender(JdbcClient jdbc, JobEvents events) {
    this.jdbc = jdbc;
    this.events = events;
  }

  /**
   * Claims and delivers the notification on the feed channel.
   *
   * @return false when it was already delivered (a redelivered or republished message)
   */
  @Transactional
  public boolean deliver(NotificationRequest request) {
    int claimed =
        jdbc.sql(
                "insert into notifications (id, video_id, event_type, channel, status, attempts, sent_at)"
                    + " values (?, ?, ?, 'feed', 'sent', 1, now()) on conflict do nothing")
            .params(UUID.randomUUID(), request.videoId(), request.event())
            .update();
    if (claimed == 1) {
      events.append(request.videoId(), null, "notification.sent", "notifications",
          Map.of("event", request.event(), "channel", "feed"));
    }
    return claimed == 1;
  }
}
