package io.reelflow.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelflow.net.UrlPolicy;
import io.reelflow.notify.Notifications.Notification;
import io.reelflow.video.Video;
import io.reelflow.video.Videos;
import io.reelflow.webhooks.WebhookSecret;
import io.reelflow.webhooks.WebhookSigner;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * What each channel sends for a delivery: the signed webhook request, the email (text and HTML,
 * with the delivery's message id as its {@code Message-ID}) and the push message (FCM HTTP v1
 * shape, the message id as its collapse key). The same delivery always produces the same
 * identifiers, so receivers can drop a resent copy.
 */
@Component("notificationMessages")
public class NotificationMessages {

  private static final Session MAIL = Session.getInstance(new Properties());

  private final Videos videos;
  private final NotificationPreferences preferences;
  private final NotifySettings settings;
  private final UrlPolicy urls;
  private final ObjectMapper mapper;

  NotificationMessages(Videos videos, NotificationPreferences preferences, NotifySettings settings, UrlPolicy urls,
      ObjectMapper mapper) {
    this.videos = videos;
    this.preferences = preferences;
    this.settings = settings;
    this.urls = urls;
    this.mapper = mapper;
  }

  /**
   * The webhook's body, and its headers: the target (checked again against the URL policy, since
   * DNS may have changed), JSON, and the Standard Webhooks signature under the user's secret.
   *
   * @throws io.reelflow.net.UnsafeUrlException when the target is refused
   */
  public byte[] webhook(@ExchangeProperty("notification") Notification n, @Headers Map<String, Object> headers) {
    urls.check("callback_url", n.target());
    ObjectNode payload = mapper.createObjectNode();
    payload.put("type", n.event());
    payload.put("timestamp", n.createdAt().toInstant().toString());
    payload.set("data", document(n));
    byte[] body = bytes(payload);
    WebhookSigner signer = new WebhookSigner(WebhookSecret.parse(preferences.withSecret(n.userId()).webhookSecret()));
    headers.clear();
    headers.put(Exchange.HTTP_URI, n.target());
    headers.put(Exchange.HTTP_METHOD, "POST");
    headers.put(Exchange.CONTENT_TYPE, "application/json");
    headers.put("User-Agent", "Reelflow-Webhooks");
    headers.putAll(signer.headers(n.messageId(), Instant.now(), body));
    return body;
  }

  /** The email of a delivery: text and HTML alternatives, a link to the video, a fixed Message-ID. */
  public MimeMessage email(@ExchangeProperty("notification") Notification n) throws MessagingException {
    Video video = videos.find(n.videoId()).orElseThrow();
    String link = settings.publicBaseUrl() + "/v1/videos/" + n.videoId();
    String subject = subject(n.event());
    String text = summary(n.event(), video) + "\n\nPrompt: " + video.prompt() + "\nStatus and download: " + link
        + "\n\n-- Reelflow\n";
    String html = "<p>" + HtmlUtils.htmlEscape(summary(n.event(), video)) + "</p><p>Prompt: <em>"
        + HtmlUtils.htmlEscape(video.prompt()) + "</em></p><p><a href=\"" + HtmlUtils.htmlEscape(link)
        + "\">Status and download</a></p>";
    MimeMessage message = new FixedIdMessage("<" + n.messageId() + "@reelflow>");
    message.setFrom(new InternetAddress(settings.mail().from()));
    message.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(n.target(), true));
    message.setSubject(subject, "UTF-8");
    MimeMultipart alternatives = new MimeMultipart("alternative");
    MimeBodyPart plain = new MimeBodyPart();
    plain.setText(text, "UTF-8", "plain");
    MimeBodyPart rich = new MimeBodyPart();
    rich.setText(html, "UTF-8", "html");
    alternatives.addBodyPart(plain);
    alternatives.addBodyPart(rich);
    message.setContent(alternatives);
    message.setHeader("X-Reelflow-Video", n.videoId().toString());
    message.saveChanges();
    return message;
  }

  /** The camel-mail endpoint of the configured SMTP server; credentials only when a user is set. */
  public String smtpUri() {
    NotifySettings.Mail mail = settings.mail();
    StringBuilder uri = new StringBuilder("smtp://").append(mail.host()).append(':').append(mail.port())
        .append("?connectionTimeout=15000&mail.smtp.starttls.enable=").append(mail.starttls());
    if (mail.username() != null && !mail.username().isBlank()) {
      uri.append("&username=").append(java.net.URLEncoder.encode(mail.username(), StandardCharsets.UTF_8))
          .append("&password=RAW(").append(mail.password() == null ? "" : mail.password()).append(')');
    }
    return uri.toString();
  }

  /** An email as an {@code .eml} file's bytes, for the local mail directory. */
  public byte[] eml(MimeMessage message) throws MessagingException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    message.writeTo(out);
    return out.toByteArray();
  }

  /** The push message: FCM HTTP v1's {@code messages:send} body. */
  public byte[] push(@ExchangeProperty("notification") Notification n) {
    Video video = videos.find(n.videoId()).orElseThrow();
    ObjectNode body = mapper.createObjectNode();
    ObjectNode message = body.putObject("message");
    message.put("token", n.target());
    message.putObject("notification").put("title", subject(n.event())).put("body", summary(n.event(), video));
    message.putObject("data").put("video_id", n.videoId().toString()).put("event", n.event())
        .put("message_id", n.messageId());
    message.putObject("android").put("collapse_key", n.messageId());
    message.putObject("apns").putObject("headers").put("apns-collapse-id", n.messageId());
    return bytes(body);
  }

  /** The file name of a delivery written to a local directory. */
  public String fileName(@ExchangeProperty("notification") Notification n) {
    return n.messageId() + (n.channel().equals("email") ? ".eml" : ".json");
  }

  private ObjectNode document(Notification n) {
    Video video = videos.find(n.videoId()).orElseThrow();
    ObjectNode data = mapper.createObjectNode();
    data.put("id", video.id().toString());
    data.put("status", video.status().dbName());
    ObjectNode links = data.putObject("links");
    links.put("self", settings.publicBaseUrl() + "/v1/videos/" + video.id());
    if (video.finalVideoKey() != null) {
      links.put("content", settings.publicBaseUrl() + "/v1/videos/" + video.id() + "/content");
    }
    if (video.errorCode() != null) {
      data.putObject("error").put("code", video.errorCode()).put("message", video.errorMessage());
    }
    return data;
  }

  private static String subject(String event) {
    return switch (event) {
      case "video.succeeded" -> "Your video is ready";
      case "video.failed" -> "Your video could not be made";
      case "video.canceled" -> "Your video was canceled";
      default -> "Your video is being made";
    };
  }

  private static String summary(String event, Video video) {
    return switch (event) {
      case "video.succeeded" -> "Your video is ready to download.";
      case "video.failed" -> "Your video failed: " + (video.errorMessage() == null ? video.errorCode()
          : video.errorMessage());
      case "video.canceled" -> "Your video was canceled.";
      default -> "We started making your video.";
    };
  }

  private byte[] bytes(Object json) {
    try {
      return mapper.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A message whose Message-ID is the delivery's, not a new one per send. */
  private static final class FixedIdMessage extends MimeMessage {
    private final String messageId;

    FixedIdMessage(String messageId) {
      super(MAIL);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
