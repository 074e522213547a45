package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.net.NetSettings;
import io.reelflow.net.UrlPolicy;
import io.reelflow.video.Shot;
import io.reelflow.video.VideoOptions;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VideoRequestsTest {

  static final ApiSettings SETTINGS = new ApiSettings("", 65536, Duration.ofSeconds(10), Duration.ofHours(24),
      Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofSeconds(15), Duration.ofMillis(500), 10,
      Map.of("free", new ApiSettings.Tier("720p", 5, 10, 2, 50, 1, null, 60, 12, 2),
          "pro", new ApiSettings.Tier("1080p", 20, 60, 10, 1000, 5)));
  static final Caller PRO = new Caller("u", "pro");
  static final Caller FREE = new Caller("u", "free");

  /** Public names resolve to a documentation address that counts as public; nothing else resolves. */
  static final UrlPolicy URLS = new UrlPolicy(NetSettings.defaults(), host -> {
    if (host.equals("169.254.169.254") || host.equals("127.0.0.1")) {
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})};
  });

  private final VideoRequests requests = new VideoRequests(new ObjectMapper(), SETTINGS, URLS);

  private VideoRequest parse(String json) {
    return requests.parse(PRO, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void appliesDefaultsAndTrimsThePrompt() {
    VideoRequest request = parse("{\"prompt\": \"  A coffee ad  \"}");

    assertThat(request.prompt()).isEqualTo("A coffee ad");
    assertThat(request.options()).isEqualTo(new VideoOptions(15, "16:9", "720p"));
  }

  @Test
  void readsEveryOptionAndTheDeliveryTargets() {
    VideoRequest request = parse("""
        {"prompt": "Ad", "duration_seconds": 30, "aspect_ratio": "9:16", "resolution": "1080p", "mode": "story",
         "tone": "warm", "style": "Wes Anderson", "voice": "en-us+f3", "music": false, "captions": false,
         "reference_image_url": "https://images.example.com/cup.png", "callback_url": "https://hooks.example.com/rf",
         "notify": {"email": "Ana@Example.com", "push_token": "tok"}, "cache": "off"}""");

    assertThat(request.options()).isEqualTo(new VideoOptions(30, "9:16", "1080p", "story", "warm", "Wes Anderson",
        "en-us+f3", false, false, "https://images.example.com/cup.png", "off"));
    assertThat(request.delivery().callbackUrl()).isEqualTo("https://hooks.example.com/rf");
    assertThat(request.delivery().email()).isEqualTo("ana@example.com");
    assertThat(request.delivery().pushToken()).isEqualTo("tok");
  }

  @Test
  void listsEveryOffendingField() {
    assertThatThrownBy(() -> parse(
            "{\"prompt\": \" \", \"duration_seconds\": 121, \"aspect_ratio\": \"4:3\", \"colour\": 1, \"mode\": \"epic\"}"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("invalid_request");
          assertThat(e.errors()).extracting(m -> m.get("field"))
              .containsExactlyInAnyOrder("colour", "prompt", "duration_seconds", "aspect_ratio", "mode");
        });
  }

  @Test
  void rejectsWrongTypesNonJsonDuplicatesAndTrailingGarbage() {
    assertThatThrownBy(() -> parse("{\"prompt\": 5, \"duration_seconds\": \"10\"}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).hasSize(2));
    for (String body : List.of("prompt=hello", "{\"prompt\": \"a\", \"prompt\": \"b\"}", "{\"prompt\": \"a\"} {}", "[]", "")) {
      assertThatThrownBy(() -> parse(body)).as(body)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors().get(0).get("field")).isEqualTo("body"));
    }
  }

  @Test
  void rejectsPromptOverTwoThousandCharactersAndControlCharacters() {
    assertThatThrownBy(() -> parse("{\"prompt\": \"" + "a".repeat(2001) + "\"}")).isInstanceOf(ApiException.class);
    assertThat(parse("{\"prompt\": \"" + "a".repeat(2000) + "\"}").prompt()).hasSize(2000);
    assertThatThrownBy(() -> parse("{\"prompt\": \"tea\\u0000\"}")).isInstanceOf(ApiException.class);
    assertThat(parse("{\"prompt\": \"line one\\nline two\"}").prompt()).isEqualTo("line one\nline two");
  }

  @Test
  void capsTheResolutionByTier() {
    assertThatThrownBy(() -> requests.parse(new Caller("u", "free"),
            "{\"prompt\": \"a\", \"resolution\": \"1080p\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.errors().get(0)).containsEntry("field", "resolution"));
  }

  @Test
  void refusesUnsafeUrls() {
    assertThatThrownBy(() -> parse("{\"prompt\": \"a\", \"callback_url\": \"http://127.0.0.1:8080/x\","
            + " \"reference_image_url\": \"https://169.254.169.254/latest\"}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(m -> m.get("field"))
            .containsExactlyInAnyOrder("callback_url", "reference_image_url"));
  }

  @Test
  void acceptsOnlyJsonAndAtMost64Kib() {
    byte[] small = "{\"prompt\": \"a\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(requests.parse(PRO, "application/json; charset=utf-8", new ByteArrayInputStream(small)).prompt())
        .isEqualTo("a");
    assertThatThrownBy(() -> requests.parse(PRO, "text/plain", new ByteArrayInputStream(small)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
    assertThatThrownBy(() -> requests.parse(PRO, null, new ByteArrayInputStream(small)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
    assertThatThrownBy(() -> requests.parse(PRO, "application/json", new ByteArrayInputStream(new byte[65537])))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("payload_too_large"));
  }

  @Test
  void capsTheDurationByTier() {
    assertThatThrownBy(() -> requests.parse(FREE, "{\"prompt\": \"a\", \"duration_seconds\": 61}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors().get(0))
            .containsEntry("field", "duration_seconds").containsEntry("message", "this tier allows videos of up to 60 s"));
    assertThat(parse("{\"prompt\": \"a\", \"duration_seconds\": 120}").options().durationSeconds()).isEqualTo(120);
  }

  @Test
  void readsAShotListWhoseTotalIsTheDurationAndWhoseTextsAreModerated() {
    VideoRequest request = parse("""
        {"prompt": "Coffee ad", "scenes": [
          {"visual_prompt": "A steaming cup on a wooden table, morning light", "audio_script": "Wake up slowly.",
           "duration_seconds": 4.5},
          {"headline": "Brewed fresh", "visual_prompt": "Beans pouring into a grinder, macro shot",
           "audio_script": "Roasted this week, ground today.", "duration_seconds": 5.5}]}""");

    assertThat(request.options().durationSeconds()).isEqualTo(10);
    assertThat(request.options().scenes()).extracting(Shot::headline, Shot::durationSeconds)
        .containsExactly(tuple(null, 4.5), tuple("Brewed fresh", 5.5));
    assertThat(request.moderatedText()).isEqualTo("Coffee ad\nA steaming cup on a wooden table, morning light\n"
        + "Wake up slowly.\nBrewed fresh\nBeans pouring into a grinder, macro shot\nRoasted this week, ground today.");
    assertThat(request.options().renderKey())
        .as("a shot list is part of what is rendered").isNotEqualTo(new VideoOptions(10, "16:9", "720p").renderKey());
  }

  @Test
  void namesEveryOffendingFieldOfAShotList() {
    assertThatThrownBy(() -> parse("""
        {"prompt": "Coffee ad", "scenes": [
          {"audio_script": "Wake up.", "duration_seconds": 5},
          {"visual_prompt": "Beans pouring into a grinder", "audio_script": 7, "duration_seconds": 9, "colour": "red"},
          "a third"]}"""))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(m -> m.get("field"))
            .containsExactly("scenes[2]"));
    assertThatThrownBy(() -> parse("""
        {"prompt": "Coffee ad", "scenes": [
          {"audio_script": "Wake up.", "duration_seconds": 5},
          {"visual_prompt": "Beans pouring into a grinder", "audio_script": 7, "duration_seconds": 9, "colour": "red"}]}"""))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(m -> m.get("field"))
            .containsExactlyInAnyOrder("scenes[0].visual_prompt", "scenes[1].audio_script", "scenes[1].duration_seconds",
                "scenes[1].colour"));
  }

  @Test
  void checksAShotListByThePlanRulesAndTheTiersSceneCap() {
    String shot = "{\"visual_prompt\": \"A steaming cup on a wooden table\", \"audio_script\": \"Wake up.\","
        + " \"duration_seconds\": 5}";
    assertThatThrownBy(() -> parse("{\"prompt\": \"Coffee ad\", \"duration_seconds\": 20, \"scenes\": [" + shot + ", " + shot + "]}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors())
            .anySatisfy(m -> assertThat(m).containsEntry("field", "scenes")
                .containsEntry("message", "durations add up to 10.0 s, not 20 s")));
    String wordy = "{\"visual_prompt\": \"A steaming cup on a wooden table\", \"audio_script\": \""
        + "word ".repeat(30).strip() + "\", \"duration_seconds\": 5}";
    assertThatThrownBy(() -> parse("{\"prompt\": \"Coffee ad\", \"scenes\": [" + shot + ", " + wordy + "]}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors().get(0).get("message"))
            .startsWith("scene 2: audio_script has 30 words"));
    String thirteen = String.join(", ", java.util.Collections.nCopies(13, shot));
    assertThatThrownBy(() -> requests.parse(FREE, ("{\"prompt\": \"Coffee ad\", \"scenes\": [" + thirteen + "]}")
            .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors().get(0))
            .containsEntry("field", "scenes").containsEntry("message", "must hold 1 to 12 items, not 13"));
    assertThat(parse("{\"prompt\": \"Coffee ad\", \"scenes\": [" + thirteen + "]}").options().scenes()).hasSize(13);
  }

  @Test
  void aTierMustAllowEnoughScenesForItsLongestVideo() {
    assertThatThrownBy(() -> new ApiSettings.Tier("720p", 5, 10, 2, 50, 1, null, 60, 7, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-scenes of at least 8");
  }

  @Test
  void sizesFramesFromAspectRatioAndResolution() {
    assertThat(new VideoOptions(10, "9:16", "720p")).extracting(VideoOptions::width, VideoOptions::height)
        .containsExactly(720, 1280);
    assertThat(new VideoOptions(10, "16:9", "480p")).extracting(VideoOptions::width, VideoOptions::height)
        .containsExactly(854, 480);
    assertThat(new VideoOptions(10, "1:1", "1080p")).extracting(VideoOptions::width, VideoOptions::height)
        .containsExactly(1080, 1080);
  }
}
