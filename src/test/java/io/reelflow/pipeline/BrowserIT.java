package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reelflow's page in a real browser: Debian's Chromium driven by Playwright
 * ({@code src/test/browser/page.mjs}) submits a 5-second video, follows it to succeeded, plays it
 * and leaves a screenshot in {@code target/browser-page.png}.
 */
class BrowserIT extends ReelflowIT {

  @Test
  void aPersonMakesAndPlaysAVideoFromThePage() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/")));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Reelflow</title>");
    Path screenshot = Path.of("target", "browser-page.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);

    List<String> lines = new ArrayList<>();
    ProcessBuilder builder = new ProcessBuilder("node", "page.mjs")
        .directory(Path.of("src", "test", "browser").toFile())
        .redirectErrorStream(true);
    builder.environment().put("BASE_URL", "http://127.0.0.1:" + port);
    builder.environment().put("API_KEY", newKey());
    builder.environment().put("SCREENSHOT", screenshot.toString());
    Process run = builder.start();
    try (var output = run.inputReader(StandardCharsets.UTF_8)) {
      output.lines().forEach(lines::add);
    }
    assertThat(run.waitFor(4, TimeUnit.MINUTES)).isTrue();
    assertThat(run.exitValue()).as(String.join("\n", lines)).isZero();

    JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(result.get("duration").asDouble()).as("the <video> element's duration").isBetween(4.5, 5.5);
    List<String> statuses = result.get("seen").findValuesAsText("status");
    assertThat(statuses).last().isEqualTo("succeeded");
    assertThat(result.get("seen").findValuesAsText("what")).as("the page always says what is happening")
        .allSatisfy(what -> assertThat(what).isNotBlank());
    assertThat(screenshot).exists();
  }
}
