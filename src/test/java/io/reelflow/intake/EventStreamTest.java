package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.reelflow.video.JobEvents.Event;
import io.reelflow.video.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventStreamTest {

  private static final UUID VIDEO = UUID.randomUUID();
  private final Json json = new Json(new ObjectMapper().registerModule(new JavaTimeModule()));
  private final List<Event> stored = new CopyOnWriteArrayList<>();
  private final AtomicInteger closed = new AtomicInteger();

  @Test
  void sendsAHeartbeatWhileNothingHappensAndEndsAtItsMaximumDuration() throws IOException {
    String text = readAll(stream(0, Duration.ofMillis(60), Duration.ofMillis(400)));

    assertThat(text).startsWith("retry: 3000\n\n").contains(": heartbeat\n\n").doesNotContain("id: ");
    assertThat(closed).hasValue(1);
  }

  @Test
  void endsRightAfterTheTerminalEventWithGaplessIds() throws IOException {
    stored.addAll(List.of(event(1, "video.queued", null), event(2, "video.planning", null),
        event(3, "video.planned", "{\"scenes\": 2}"), event(4, "scene.succeeded", null),
        event(5, "scene.succeeded", null), event(6, "video.composing", null),
        event(7, "video.succeeded", "{\"key\": \"videos/x/final.mp4\"}"), event(8, "notification.sent", null)));

    String text = readAll(stream(0, Duration.ofSeconds(15), Duration.ofSeconds(10)));

    assertThat(ids(text)).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(text).contains("\"progress\":47").contains("\"progress\":85").contains("\"progress\":100")
        .doesNotContain("final.mp4").doesNotContain("notification.sent");
  }

  @Test
  void followsAnEditThatRunsTheFinishedVideoAgainToItsNewVersion() throws IOException {
    stored.addAll(List.of(event(1, "video.queued", null), event(2, "video.planned", "{\"scenes\": 2}"),
        event(3, "scene.succeeded", null), event(4, "scene.succeeded", null),
        event(5, "video.succeeded", "{\"version\": 1}"), event(6, "notification.sent", null),
        event(7, "video.edited", "{\"status\": \"generating\", \"regenerating\": [1]}"),
        event(8, "scene.succeeded", null), event(9, "video.composing", null),
        event(10, "video.succeeded", "{\"version\": 2}")));

    String text = readAll(stream(0, Duration.ofSeconds(15), Duration.ofSeconds(10)));

    assertThat(ids(text)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(text.lines().filter(l -> l.startsWith("data: ") && l.contains("video.edited")).findFirst().orElseThrow())
        .contains("\"status\":\"generating\"").contains("\"progress\":47");
  }

  @Test
  void resumesAfterTheLastEventIdAndWaitsForNewOnes() throws Exception {
    stored.addAll(List.of(event(1, "video.queued", null), event(2, "video.planning", null)));
    Thread late = new Thread(() -> {
      sleep(300);
      stored.add(event(3, "video.canceled", null));
    });
    late.start();

    String text = readAll(stream(1, Duration.ofSeconds(15), Duration.ofSeconds(10)));

    assertThat(ids(text)).containsExactly(2, 3);
    late.join();
  }

  @Test
  void aCloseFromAnotherThreadEndsAWaitingReadAndFreesTheSlotOnce() throws Exception {
    EventStream stream = stream(0, Duration.ofSeconds(15), Duration.ofSeconds(10));
    assertThat(stream.next()).startsWith("retry:");
    Thread leaving = new Thread(() -> {
      sleep(200);
      stream.close();
    });
    leaving.start();
    long start = System.nanoTime();

    String next = stream.next();

    assertThat(next).as("no heartbeat is due for 15 s, so only the close ends the wait").isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    stream.close();
    assertThat(closed).hasValue(1);
    leaving.join();
  }

  private EventStream stream(int after, Duration heartbeat, Duration max) {
    ApiSettings settings = new ApiSettings("", 65536, Duration.ofSeconds(10), Duration.ofHours(24),
        Duration.ofMinutes(15), max, heartbeat, Duration.ofMillis(20), 10, VideoRequestsTest.SETTINGS.tiers());
    ProgressTrack track = new ProgressTrack();
    stored.stream().filter(e -> e.seq() <= after).forEach(e -> track.apply(e, EventStream.detail(json, e)));
    EventStream.Source source = (video, afterSeq, limit) ->
        stored.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
    return new EventStream(VIDEO, after, track, source, json, settings, closed::incrementAndGet);
  }

  private static Event event(int seq, String type, String detail) {
    return new Event(seq, null, type, "test", detail, OffsetDateTime.now());
  }

  private static String readAll(EventStream stream) throws IOException {
    StringBuilder text = new StringBuilder();
    try (stream) {
      for (String next = stream.next(); next != null; next = stream.next()) {
        text.append(next);
      }
    }
    return text.toString();
  }

  private static List<Integer> ids(String text) {
    List<Integer> ids = new ArrayList<>();
    text.lines().filter(l -> l.startsWith("id: ")).forEach(l -> ids.add(Integer.parseInt(l.substring(4))));
    return ids;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
