package io.reelflow.intake;

import io.reelflow.video.JobEvents;
import io.reelflow.video.JobEvents.Event;
import io.reelflow.video.Json;
import java.io.InterruptedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One open {@code text/event-stream}: {@link #next()} gives the text to send next, as soon as
 * events are stored — the events, a comment line every heartbeat interval while nothing happens —
 * and null once the stream is over: after the video's terminal event (unless a stored edit or
 * scene retry runs the video again after it: the stream then follows that run), after the
 * stream's maximum duration (the client then reconnects with {@code Last-Event-ID}), or after
 * {@link #close()}.
 *
 * <p>One thread reads it; {@link #close()} may come from any thread (the client went away), and
 * a read waiting for events then ends within one poll interval. Not an {@code InputStream} on
 * purpose: Camel's stream caching would read a stream body to its end before sending it.
 */
final class EventStream implements AutoCloseable {

  /** Where the stream reads events: {@link JobEvents#after} in the application. */
  @FunctionalInterface
  interface Source {
    List<Event> after(UUID videoId, int afterSeq, int limit);
  }

  private static final int BATCH = 200;
  private static final Set<String> PRIVATE_DETAIL = Set.of("key", "worker");

  private final UUID videoId;
  private final ProgressTrack track;
  private final Source events;
  private final Json json;
  private final ApiSettings settings;
  private final Runnable onClose;
  private final long deadline;
  private int lastSeq;
  private long lastWrite;
  private String pending;
  private boolean ending;
  private volatile boolean closed;

  EventStream(UUID videoId, int lastSeq, ProgressTrack track, Source events, Json json, ApiSettings settings,
      Runnable onClose) {
    this.videoId = videoId;
    this.lastSeq = lastSeq;
    this.track = track;
    this.events = events;
    this.json = json;
    this.settings = settings;
    this.onClose = onClose;
    this.deadline = System.nanoTime() + settings.streamMaxDuration().toNanos();
    this.lastWrite = System.nanoTime();
    this.pending = "retry: 3000\n\n";
  }

  /**
   * The next text to send, waiting for it; null when the stream is over.
   *
   * @throws InterruptedIOException when the reading thread is interrupted
   */
  String next() throws InterruptedIOException {
    if (pending == null && !ending && !closed) {
      fill();
    }
    String text = pending;
    pending = null;
    return text;
  }

  /** Waits for the next text to send; leaves none when the stream is over. */
  private void fill() throws InterruptedIOException {
    while (!closed && System.nanoTime() < deadline) {
      List<Event> next = events.after(videoId, lastSeq, BATCH);
      if (!next.isEmpty()) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < next.size(); i++) {
          text.append(format(next.get(i)));
          lastSeq = next.get(i).seq();
          List<Event> later = next.subList(i + 1, next.size());
          if (track.status().isTerminal() && later.stream().noneMatch(ProgressTrack::reopens)) {
            ending = true;
            break;
          }
        }
        send(text.toString());
        return;
      }
      if (System.nanoTime() - lastWrite >= settings.streamHeartbeat().toNanos()) {
        send(": heartbeat\n\n");
        return;
      }
      try {
        Thread.sleep(settings.streamPoll().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("event stream interrupted");
      }
    }
  }

  private void send(String text) {
    pending = text;
    lastWrite = System.nanoTime();
  }

  private String format(Event event) {
    Map<String, Object> detail = detail(json, event);
    track.apply(event, detail);
    detail.keySet().removeAll(PRIVATE_DETAIL);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("seq", event.seq());
    data.put("type", event.type());
    data.put("stage", event.stage());
    data.put("status", track.status().name().toLowerCase(java.util.Locale.ROOT));
    data.put("progress", track.progress());
    if (event.sceneId() != null) {
      data.put("scene_id", event.sceneId());
    }
    if (!detail.isEmpty()) {
      data.put("detail", detail);
    }
    data.put("at", event.at());
    return "id: " + event.seq() + "\nevent: " + event.type() + "\ndata: " + json.write(data) + "\n\n";
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> detail(Json json, Event event) {
    return event.detail() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(json.read(event.detail(), Map.class));
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }
}
