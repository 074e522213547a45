package io.reelflow.intake;

import io.reelflow.video.JobEvents;
import io.reelflow.video.Json;
import io.reelflow.video.Video;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * {@code GET /v1/videos/{id}/events}: Server-Sent Events read from {@code job_events}, so any
 * instance can stream any video whichever instance does the work. Each event's id is its
 * per-video sequence number; {@code Last-Event-ID} (or {@code ?last_event_id=} for clients that
 * cannot set headers) resumes after it, without gaps or repeats, because sequence numbers become
 * visible in order (see {@link JobEvents#append}).
 */
@Component("eventStreams")
public class EventStreams {

  private final VideoViews views;
  private final JobEvents events;
  private final Json json;
  private final ApiSettings settings;
  private final AtomicInteger open = new AtomicInteger();

  EventStreams(VideoViews views, JobEvents events, Json json, ApiSettings settings) {
    this.views = views;
    this.events = events;
    this.json = json;
    this.settings = settings;
  }

  /**
   * Opens a stream of the caller's video after {@code lastEventId} (0 or absent: from the start).
   *
   * @throws ApiException 404 for a foreign id, 400 for a malformed event id, 503
   *     {@code too_many_streams} when this instance already serves its maximum
   */
  public InputStream open(@ExchangeProperty("caller") Caller caller, @Header("id") String id,
      @Header("Last-Event-ID") String lastEventId, @Header("last_event_id") String lastEventParam) {
    Video video = views.owned(caller, id);
    int after = sequence(lastEventId != null ? lastEventId : lastEventParam);
    if (open.incrementAndGet() > settings.maxStreams()) {
      open.decrementAndGet();
      throw new ApiException(503, "too_many_streams", "Too many streams",
          "this instance serves " + settings.maxStreams() + " event streams; retry shortly or poll the status",
          List.of()).withHeaders(Map.of("Retry-After", "5"));
    }
    ProgressTrack track = new ProgressTrack();
    if (after > 0) {
      events.after(video.id(), 0, after).forEach(e -> track.apply(e, EventStream.detail(json, e)));
    }
    return new EventStream(video.id(), after, track, events::after, json, settings, open::decrementAndGet);
  }

  /** Streams open on this instance now, for metrics. */
  public int openStreams() {
    return open.get();
  }

  private static int sequence(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int seq = Integer.parseInt(value.strip());
      if (seq >= 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid(List.of(Map.of("field", "Last-Event-ID", "message", "must be an event id this stream sent")));
  }
}
