package io.reelflow.intake;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.video.JobEvents;
import io.reelflow.video.Json;
import io.reelflow.video.Video;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
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
  private final StreamSlots slots;

  EventStreams(VideoViews views, JobEvents events, Json json, ApiSettings settings, MeterRegistry meters) {
    this.views = views;
    this.events = events;
    this.json = json;
    this.settings = settings;
    this.slots = new StreamSlots(settings.maxStreams());
    Gauge.builder("reelflow.api.event.streams", slots, StreamSlots::open)
        .description("event streams open on this instance").register(meters);
  }

  /**
   * Opens a stream of the caller's video after {@code lastEventId} (0 or absent: from the start).
   *
   * @throws ApiException 404 for a foreign id, 400 for a malformed event id, 503
   *     {@code too_many_streams} when this instance already serves its maximum
   */
  public EventStream open(@ExchangeProperty("caller") Caller caller, @Header("id") String id,
      @Header("Last-Event-ID") String lastEventId, @Header("last_event_id") String lastEventParam) {
    Video video = views.owned(caller, id);
    int after = sequence(lastEventId != null ? lastEventId : lastEventParam);
    ProgressTrack track = new ProgressTrack();
    if (after > 0) {
      events.after(video.id(), 0, after).forEach(e -> track.apply(e, EventStream.detail(json, e)));
    }
    slots.acquire();
    return new EventStream(video.id(), after, track, events::after, json, settings, slots::release);
  }

  /**
   * Sends the open stream (the body) to the client as its events come, with the message's headers,
   * and ends the response when the stream ends. When the client goes away the stream is closed at
   * once (its slot freed) and the wait for events ends within a poll interval. Holds the request's
   * worker thread while the stream is open; each chunk is written before the next is read, so a
   * slow client slows only its own stream (and one stuck longer than two heartbeats ends it).
   */
  public void send(Exchange exchange) throws Exception {
    EventStream stream = exchange.getMessage().getBody(EventStream.class);
    HttpServerResponse response = exchange.getProperty(ApiServer.RESPONSE, HttpServerResponse.class);
    response.setStatusCode(200).setChunked(true);
    exchange.getMessage().getHeaders().forEach((name, value) -> response.putHeader(name, String.valueOf(value)));
    response.closeHandler(gone -> stream.close());
    long writeTimeout = settings.streamHeartbeat().toMillis() * 2;
    try (stream) {
      for (String text = stream.next(); text != null && !response.closed(); text = stream.next()) {
        response.write(text).toCompletionStage().toCompletableFuture().get(writeTimeout, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException gone) {
      // the client went away or stopped reading: the stream is closed, nothing to answer
    } finally {
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    }
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
    throw ApiException.invalid("Last-Event-ID", "must be an event id this stream sent");
  }
}
