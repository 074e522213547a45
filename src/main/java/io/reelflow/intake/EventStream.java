package io.reelflow.intake;

import io.reelflow.video.JobEvents;
import io.reelflow.video.JobEvents.Event;
import io.reelflow.video.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One open {@code text/event-stream}, as the blocking {@link InputStream} that Camel copies to the
 * HTTP response with a flush after every read. A read returns the next events as soon as they are
 * stored, a comment line every heartbeat interval while nothing happens, and end of stream after
 * the video's terminal event (unless a stored edit or scene retry runs the video again after it:
 * the stream then follows that run) or after the stream's maximum duration (the client then
 * reconnects with {@code Last-Event-ID}).
 *
 * <p>Not thread-safe: one servlet thread reads it.
 */
final class EventStream extends InputStream {

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
  private byte[] chunk;
  private int position;
  private boolean ending;
  private boolean closed;

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
    this.chunk = ("retry: 3000\n\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (chunk == null || position >= chunk.length) {
      if (ending || closed || !fill()) {
        return -1;
      }
    }
    int n = Math.min(length, chunk.length - position);
    System.arraycopy(chunk, position, buffer, offset, n);
    position += n;
    return n;
  }

  /** Waits for the next chunk to send; false when the stream is over. */
  private boolean fill() throws IOException {
    while (System.nanoTime() < deadline) {
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
        return send(text.toString());
      }
      if (System.nanoTime() - lastWrite >= settings.streamHeartbeat().toNanos()) {
        return send(": heartbeat\n\n");
      }
      try {
        Thread.sleep(settings.streamPoll().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("event stream interrupted");
      }
    }
    return false;
  }

  private boolean send(String text) {
    chunk = text.getBytes(StandardCharsets.UTF_8);
    position = 0;
    lastWrite = System.nanoTime();
    return true;
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
  public void close() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }
}
