package io.reelflow.notify;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.intake.ApiException;
import io.reelflow.intake.Caller;
import io.reelflow.net.UnsafeUrlException;
import io.reelflow.net.UrlPolicy;
import io.reelflow.webhooks.WebhookSecret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A user's notification defaults and preferences ({@code GET/PUT /v1/notification-settings}):
 * the default webhook URL, email address and push token (a video's own {@code callback_url} and
 * {@code notify} win), which events go to which channels, and the secret that signs the user's
 * webhooks. Defaults when a user has said nothing: webhooks for every terminal event, email and
 * push on success and failure; {@code video.started} only when asked for.
 */
@Component("notificationPreferences")
public class NotificationPreferences {

  /** Events a user can be told about. */
  public static final List<String> EVENTS = List.of("video.started", "video.succeeded", "video.failed",
      "video.canceled");

  /** Channels that deliver to the user (the video's event feed is always written). */
  public static final List<String> CHANNELS = List.of("webhook", "email", "push");

  private static final Map<String, List<String>> DEFAULTS = Map.of(
      "video.started", List.of(),
      "video.succeeded", CHANNELS,
      "video.failed", CHANNELS,
      "video.canceled", List.of("webhook"));

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");

  /** A user's settings as the API shows them. */
  public record Settings(
      @JsonProperty("webhook_url") String webhookUrl,
      String email,
      @JsonProperty("push_token") String pushToken,
      Map<String, List<String>> events,
      @JsonProperty("webhook_secret") String webhookSecret) {}

  private final JdbcClient jdbc;
  private final ObjectMapper mapper;
  private final UrlPolicy urls;

  NotificationPreferences(JdbcClient jdbc, ObjectMapper mapper, UrlPolicy urls) {
    this.jdbc = jdbc;
    this.mapper = mapper;
    this.urls = urls;
  }

  /** The caller's settings, created with a fresh webhook secret on first use. */
  public Settings get(@ExchangeProperty("caller") Caller caller) {
    return withSecret(caller.userId());
  }

  /**
   * Changes the caller's settings from a body of {@code webhook_url}, {@code email}, {@code
   * push_token} (null clears) and {@code events} (event to list of channels); absent fields stay.
   *
   * @throws ApiException 400 {@code invalid_request} listing each wrong field
   */
  public Settings put(@ExchangeProperty("caller") Caller caller, @Body JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid("body", "must be a JSON object");
    }
    Settings current = withSecret(caller.userId());
    List<Map<String, String>> errors = new ArrayList<>();
    body.fieldNames().forEachRemaining(name -> {
      if (!Set.of("webhook_url", "email", "push_token", "events").contains(name)) {
        errors.add(ApiException.fieldError(name, "is not a field of notification settings"));
      }
    });
    String webhookUrl = text(body, "webhook_url", current.webhookUrl(), 2048, errors);
    if (webhookUrl != null && body.has("webhook_url")) {
      try {
        urls.check("webhook_url", webhookUrl);
      } catch (UnsafeUrlException e) {
        errors.add(ApiException.fieldError("webhook_url", e.getMessage()));
      }
    }
    String email = text(body, "email", current.email(), 320, errors);
    if (email != null && body.has("email") && !EMAIL.matcher(email).matches()) {
      errors.add(ApiException.fieldError("email", "is not an email address"));
    }
    String pushToken = text(body, "push_token", current.pushToken(), 4096, errors);
    Map<String, List<String>> events = current.events();
    if (body.has("events")) {
      events = events(body.get("events"), errors);
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    jdbc.sql("update notification_settings set webhook_url = ?, email = ?, push_token = ?, events = cast(? as jsonb),"
            + " updated_at = now() where user_id = ?")
        .params(webhookUrl, email, pushToken, json(events), caller.userId())
        .update();
    return of(caller.userId());
  }

  /**
   * The settings of {@code userId}: the defaults, with no targets and no secret yet, for a user
   * who never set any. Reading never writes; see {@link #withSecret}.
   */
  Settings of(String userId) {
    return jdbc.sql("select webhook_url, email, push_token, events::text as events, webhook_secret"
            + " from notification_settings where user_id = ?")
        .param(userId)
        .query((rs, n) -> new Settings(rs.getString("webhook_url"), rs.getString("email"), rs.getString("push_token"),
            effective(rs.getString("events")), rs.getString("webhook_secret")))
        .optional()
        .orElseGet(() -> new Settings(null, null, null, effective(null), null));
  }

  /** The settings of {@code userId}, stored with a fresh webhook secret the first time one is needed. */
  Settings withSecret(String userId) {
    jdbc.sql("insert into notification_settings (user_id, webhook_secret) values (?, ?) on conflict do nothing")
        .params(userId, WebhookSecret.generate().encoded())
        .update();
    return of(userId);
  }

  /** The channels {@code event} goes to for {@code settings}. */
  static List<String> channels(Settings settings, String event) {
    return settings.events().getOrDefault(event, List.of());
  }

  private Map<String, List<String>> effective(String stored) {
    Map<String, List<String>> events = new LinkedHashMap<>();
    Map<String, List<String>> chosen = Map.of();
    if (stored != null) {
      try {
        chosen = mapper.readValue(stored, new TypeReference<Map<String, List<String>>>() {});
      } catch (IOException e) {
        throw new IllegalStateException("notification_settings.events is not an event map", e);
      }
    }
    for (String event : EVENTS) {
      events.put(event, List.copyOf(Optional.ofNullable(chosen.get(event)).orElse(DEFAULTS.get(event))));
    }
    return events;
  }

  private static Map<String, List<String>> events(JsonNode node, List<Map<String, String>> errors) {
    Map<String, List<String>> events = new LinkedHashMap<>();
    if (node == null || !node.isObject()) {
      errors.add(ApiException.fieldError("events", "must map events to lists of channels"));
      return events;
    }
    node.fields().forEachRemaining(entry -> {
      String field = "events." + entry.getKey();
      if (!EVENTS.contains(entry.getKey())) {
        errors.add(ApiException.fieldError(field, "is not one of " + EVENTS));
        return;
      }
      List<String> channels = new ArrayList<>();
      if (!entry.getValue().isArray()) {
        errors.add(ApiException.fieldError(field, "must be a list of channels"));
        return;
      }
      entry.getValue().forEach(channel -> {
        if (!channel.isTextual() || !CHANNELS.contains(channel.asText())) {
          errors.add(ApiException.fieldError(field, "channels are " + CHANNELS));
        } else if (!channels.contains(channel.asText())) {
          channels.add(channel.asText());
        }
      });
      events.put(entry.getKey(), channels);
    });
    for (String event : EVENTS) {
      events.putIfAbsent(event, DEFAULTS.get(event));
    }
    return events;
  }

  private static String text(JsonNode body, String field, String current, int max, List<Map<String, String>> errors) {
    if (!body.has(field)) {
      return current;
    }
    JsonNode value = body.get(field);
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > max) {
      errors.add(ApiException.fieldError(field, "must be a non-empty string of at most " + max + " characters, or null"));
      return current;
    }
    return value.asText().strip();
  }

  private String json(Map<String, List<String>> events) {
    try {
      return mapper.writeValueAsString(events);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
