package io.reelflow.pipeline;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** One event of a {@code text/event-stream}, as a client parses it. */
record ServerSentEvent(Integer id, String event, String data) {

  /** Reads a whole stream (until the server ends it) into its events; comments are skipped. */
  static CompletableFuture<List<ServerSentEvent>> collect(HttpClient http, HttpRequest.Builder request) {
    return http.sendAsync(request.header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines())
        .thenApply(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("event stream answered " + response.statusCode());
          }
          return parse(response.body());
        });
  }

  static List<ServerSentEvent> parse(Stream<String> lines) {
    List<ServerSentEvent> events = new ArrayList<>();
    String[] current = new String[3];
    lines.forEach(line -> {
      if (line.isEmpty()) {
        if (current[2] != null) {
          events.add(new ServerSentEvent(current[0] == null ? null : Integer.valueOf(current[0]), current[1], current[2]));
        }
        current[0] = current[1] = current[2] = null;
      } else if (line.startsWith("id: ")) {
        current[0] = line.substring(4);
      } else if (line.startsWith("event: ")) {
        current[1] = line.substring(7);
      } else if (line.startsWith("data: ")) {
        current[2] = line.substring(6);
      }
    });
    return events;
  }
}
