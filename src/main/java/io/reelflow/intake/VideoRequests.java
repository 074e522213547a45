package io.reelflow.intake;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.reelflow.net.UnsafeUrlException;
import io.reelflow.net.UrlPolicy;
import io.reelflow.planning.ShotLists;
import io.reelflow.video.Delivery;
import io.reelflow.video.Shot;
import io.reelflow.video.VideoOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Parses and validates a submission: its envelope (JSON content type, at most
 * {@code reelflow.api.max-body-bytes}), then every field, collecting all offending fields before
 * refusing it. User URLs must pass the outbound URL policy (no private addresses).
 */
@Component("videoRequests")
public class VideoRequests {

  static final int MAX_PROMPT = 2000;
  static final Set<String> FIELDS = Set.of("prompt", "duration_seconds", "aspect_ratio", "resolution",
      "mode", "tone", "style", "voice", "music", "captions", "reference_image_url", "callback_url",
      "notify", "cache", "scenes");
  static final Set<String> SHOT_FIELDS = Set.of("headline", "visual_prompt", "audio_script", "duration_seconds");
  static final List<String> ASPECT_RATIOS = List.of("16:9", "9:16", "1:1");
  static final List<String> RESOLUTIONS = List.of("480p", "720p", "1080p");
  static final List<String> MODES = List.of("ad", "explainer", "story", "music_video");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
  private static final Pattern VOICE = Pattern.compile("^[A-Za-z0-9_.+-]+$");

  private final ObjectReader reader;
  private final ApiSettings settings;
  private final UrlPolicy urls;

  VideoRequests(ObjectMapper mapper, ApiSettings settings, UrlPolicy urls) {
    this.reader = mapper.reader()
        .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.settings = settings;
    this.urls = urls;
  }

  /** What moderation reads of a parsed request: the prompt and, for a shot list, every text of it. */
  public String moderatedText(@ExchangeProperty("request") VideoRequest request) {
    return request.moderatedText();
  }

  /**
   * @throws ApiException 415 {@code unsupported_media_type}, 413 {@code payload_too_large}, or 400
   *     {@code invalid_request} listing each offending field
   */
  public VideoRequest parse(@ExchangeProperty("caller") Caller caller,
      @Header("Content-Type") String contentType, @Body InputStream body) {
    requireJson(contentType);
    return parse(caller, read(body));
  }

  VideoRequest parse(Caller caller, byte[] body) {
    JsonFields f = JsonFields.root(object(body));
    f.onlyKnown(FIELDS);
    String prompt = f.text("prompt", null, MAX_PROMPT);
    if (prompt == null && f.errors().stream().noneMatch(e -> e.get("field").equals("prompt"))) {
      f.reject("prompt", "is required");
    }
    ApiSettings.Tier tier = settings.tier(caller.tier());
    List<Shot> shots = shots(f, tier);
    VideoOptions options = new VideoOptions(
        duration(f, tier, shots),
        f.oneOf("aspect_ratio", "16:9", ASPECT_RATIOS),
        resolution(f, caller),
        f.oneOf("mode", "ad", MODES),
        f.text("tone", null, 40),
        f.text("style", null, 80),
        voice(f),
        f.bool("music", true),
        f.bool("captions", true),
        url(f, "reference_image_url"),
        f.oneOf("cache", "auto", List.of("auto", "off")),
        shots);
    if (shots != null && f.errors().isEmpty()) {
      ShotLists.violations(shots, options, tier.maxScenes()).forEach(v -> f.reject("scenes", v));
    }
    Delivery delivery = delivery(f);
    if (!f.errors().isEmpty()) {
      throw ApiException.invalid(f.errors());
    }
    return new VideoRequest(prompt, options, delivery);
  }

  /**
   * The body as a JSON object: duplicate keys and trailing tokens refused.
   *
   * @throws ApiException 400 {@code invalid_request} naming the {@code body}
   */
  JsonNode object(byte[] body) {
    JsonNode root;
    try {
      root = body.length == 0 ? null : reader.readTree(body);
    } catch (JacksonException e) {
      throw ApiException.invalid("body", "is not valid JSON" + (e.getMessage().contains("Duplicate field") ? " (duplicate field)" : ""));
    } catch (IOException e) {
      throw ApiException.invalid("body", "could not be read");
    }
    if (root == null || !root.isObject()) {
      throw ApiException.invalid("body", "must be a JSON object");
    }
    return root;
  }

  /**
   * The length asked for; with a shot list and no {@code duration_seconds}, the shots' total. At
   * most the tier's {@code max-duration-seconds}.
   */
  private static int duration(JsonFields f, ApiSettings.Tier tier, List<Shot> shots) {
    int fallback = shots == null ? 15
        : (int) Math.round(shots.stream().mapToDouble(Shot::durationSeconds).sum());
    int duration = f.integer("duration_seconds", fallback, 5, ApiSettings.Tier.LONGEST_VIDEO);
    if (!f.has("duration_seconds") && shots != null && (duration < 5 || duration > ApiSettings.Tier.LONGEST_VIDEO)) {
      f.reject("scenes", "the scenes last " + duration + " s in all; a video lasts 5 to 120 s");
    } else if (duration > tier.maxDurationSeconds()) {
      f.reject(f.has("duration_seconds") ? "duration_seconds" : "scenes",
          "this tier allows videos of up to " + tier.maxDurationSeconds() + " s");
    }
    return duration;
  }

  /** The user's shot list, or null when the video is to be planned. */
  private static List<Shot> shots(JsonFields f, ApiSettings.Tier tier) {
    List<JsonFields> items = f.array("scenes", 1, tier.maxScenes());
    if (items == null) {
      return null;
    }
    List<Shot> shots = new ArrayList<>();
    for (JsonFields item : items) {
      item.onlyKnown(SHOT_FIELDS);
      String visual = item.text("visual_prompt", null, 600);
      String audio = item.text("audio_script", null, 600);
      if (visual == null) {
        item.require("visual_prompt");
      }
      if (audio == null) {
        item.require("audio_script");
      }
      double seconds = item.number("duration_seconds", 0, 3, 8);
      if (!item.has("duration_seconds")) {
        item.require("duration_seconds");
      }
      shots.add(new Shot(item.text("headline", null, 60), visual, audio, seconds));
    }
    return shots;
  }

  private String resolution(JsonFields f, Caller caller) {
    String resolution = f.oneOf("resolution", "720p", RESOLUTIONS);
    String max = settings.tier(caller.tier()).maxResolution();
    if (RESOLUTIONS.indexOf(resolution) > RESOLUTIONS.indexOf(max)) {
      f.reject("resolution", "the " + caller.tier() + " tier allows up to " + max);
    }
    return resolution;
  }

  private static String voice(JsonFields f) {
    String voice = f.text("voice", null, 64);
    if (voice != null && !VOICE.matcher(voice).matches()) {
      f.reject("voice", "must be a voice id (letters, digits, '_', '.', '+', '-')");
    }
    return voice;
  }

  private Delivery delivery(JsonFields f) {
    String callback = url(f, "callback_url");
    JsonFields notify = f.object("notify");
    if (notify == null) {
      return new Delivery(callback, null, null);
    }
    notify.onlyKnown(Set.of("email", "push_token"));
    String email = notify.text("email", null, 254);
    if (email != null && !EMAIL.matcher(email).matches()) {
      notify.reject("email", "must be an email address");
    }
    return new Delivery(callback, email == null ? null : email.toLowerCase(Locale.ROOT),
        notify.text("push_token", null, 4096));
  }

  private String url(JsonFields f, String field) {
    String url = f.text(field, null, 2048);
    if (url == null) {
      return null;
    }
    try {
      return urls.check(field, url).toString();
    } catch (UnsafeUrlException e) {
      f.reject(field, e.reason());
      return null;
    }
  }

  /**
   * @throws ApiException 415 {@code unsupported_media_type} unless {@code contentType} is JSON in
   *     UTF-8
   */
  static void requireJson(String contentType) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String media = type.split(";", 2)[0].strip();
    boolean json = media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    boolean utf8 = !type.contains("charset=") || type.matches(".*charset=\"?utf-8\"?.*");
    if (!json || !utf8) {
      throw new ApiException(415, "unsupported_media_type", "Unsupported media type",
          "send the body as 'Content-Type: application/json' (UTF-8)", List.of());
    }
  }

  /**
   * The body, at most {@code reelflow.api.max-body-bytes}.
   *
   * @throws ApiException 413 {@code payload_too_large}
   */
  byte[] read(InputStream body) {
    if (body == null) {
      return new byte[0];
    }
    try (body) {
      byte[] bytes = body.readNBytes(settings.maxBodyBytes() + 1);
      if (bytes.length > settings.maxBodyBytes()) {
        throw ApiException.payloadTooLarge("the body must be at most " + settings.maxBodyBytes() + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.invalid("body", "could not be read");
    }
  }

}
