package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.reelflow.video.NotificationRequest;
import io.reelflow.video.Sha256;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Notifications against a real SMTP server (GreenMail), a local HTTP receiver and a local server
 * that speaks Google's OAuth token endpoint and FCM HTTP v1: once per (video, event, channel) as
 * the receiver sees it, whatever is redelivered or retried.
 */
class NotificationsIT extends ReelflowIT {

  static final GreenMail SMTP = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", "smtp"));
  static final KeyPair FCM_KEY = rsa();
  static final HttpServer RECEIVER = server();
  static final List<Received> WEBHOOKS = Collections.synchronizedList(new ArrayList<>());
  static final List<Received> FCM = Collections.synchronizedList(new ArrayList<>());
  static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
  static final Path SERVICE_ACCOUNT = serviceAccount();

  record Received(Map<String, String> headers, String body) {}

  static {
    SMTP.setUser("reelflow", "reelflow", "mail-secret");
    SMTP.start();
  }

  @DynamicPropertySource
  static void channels(DynamicPropertyRegistry registry) {
    registry.add("reelflow.net.allowed-hosts", () -> "127.0.0.1");
    registry.add("reelflow.notifications.mail.host", () -> "127.0.0.1");
    registry.add("reelflow.notifications.mail.port", () -> SMTP.getSmtp().getPort());
    registry.add("reelflow.notifications.mail.starttls", () -> "false");
    registry.add("reelflow.notifications.mail.username", () -> "reelflow");
    registry.add("reelflow.notifications.mail.password", () -> "mail-secret");
    registry.add("reelflow.notifications.initial-backoff", () -> "300ms");
    registry.add("reelflow.notifications.retry-interval-ms", () -> "200");
    registry.add("reelflow.notifications.claim-seconds", () -> "2");
    registry.add("reelflow.notifications.push.fcm-project-id", () -> "reelflow-test");
    registry.add("reelflow.notifications.push.fcm-service-account-file", SERVICE_ACCOUNT::toString);
    registry.add("reelflow.notifications.push.fcm-base-url", () -> base());
  }

  @AfterAll
  static void stopServers() {
    SMTP.stop();
    RECEIVER.stop(0);
  }

  @Autowired JdbcClient jdbc;
  @Autowired RabbitTemplate rabbit;
  @Autowired ObjectMapper json;

  @Test
  void oneEmailPerTerminalEventEvenWhenTheMessageComesThreeTimes() throws Exception {
    String address = "ada-" + UUID.randomUUID() + "@example.com";
    UUID video = finishedVideo(newKey(), "succeeded", "{\"email\": \"" + address + "\"}");

    for (int i = 0; i < 3; i++) {
      notify(video, "video.succeeded");
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(address).size() == 1);
    Thread.sleep(1500);
    List<MimeMessage> mails = mailsTo(address);
    assertThat(mails).hasSize(1);
    MimeMessage mail = mails.get(0);
    assertThat(mail.getSubject()).isEqualTo("Your video is ready");
    String messageId = messageId(video, "email");
    assertThat(mail.getMessageID()).isEqualTo("<" + messageId + "@reelflow>");
    assertThat(mail.getContentType()).startsWith("multipart/alternative");
    jakarta.mail.internet.MimeMultipart parts = (jakarta.mail.internet.MimeMultipart) mail.getContent();
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat(parts.getBodyPart(0).getContent().toString()).contains("/v1/videos/" + video);
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat(status(video, "email")).isEqualTo("sent");
  }

  @Test
  void aDeliveryLeftSendingByACrashIsSentAgainWithTheSameMessageId() throws Exception {
    String address = "bo-" + UUID.randomUUID() + "@example.com";
    UUID video = finishedVideo(newKey(), "failed", "{\"email\": \"" + address + "\"}");
    String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
    // The state an instance leaves when it dies after the SMTP server accepted the mail and before
    // it marked the row sent: claimed, attempted once, its claim run out.
    jdbc.sql("insert into notifications (id, video_id, event_type, channel, status, target, message_id, attempts,"
            + " claimed_until) values (?, ?, 'video.failed', 'email', 'sending', ?, ?, 1, now() - interval '1 second')")
        .params(UUID.randomUUID(), video, address, messageId).update();

    await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(address).size() == 1);
    notify(video, "video.failed");
    Thread.sleep(1500);

    assertThat(mailsTo(address)).hasSize(1);
    assertThat(mailsTo(address).get(0).getMessageID()).as("the receiver can drop a copy by its id")
        .isEqualTo("<" + messageId + "@reelflow>");
    assertThat(status(video, "email")).isEqualTo("sent");
  }

  @Test
  void aReceiverThatFailsTwiceGetsOneLogicalEventThatVerifiesIndependently() throws Exception {
    String key = newKey();
    UUID video = finishedVideo(key, "succeeded", "{\"callback_url\": \"" + base() + "/hook\"}");
    FAILURES_LEFT.set(2);
    int before = WEBHOOKS.size();

    notify(video, "video.succeeded");

    await().atMost(Duration.ofSeconds(20)).until(() -> status(video, "webhook").equals("sent"));
    List<Received> got = new ArrayList<>(WEBHOOKS.subList(before, WEBHOOKS.size()));
    assertThat(got).hasSize(3);
    assertThat(got.stream().map(r -> r.headers().get("webhook-id")).distinct()).hasSize(1);
    String secret = json.readTree(get("/v1/notification-settings", key).body()).get("webhook_secret").asText();
    Received last = got.get(2);
    Map<String, List<String>> headers = new HashMap<>();
    last.headers().forEach((name, value) -> headers.put(name, List.of(value)));
    new Webhook(secret).verify(last.body(), HttpHeaders.of(headers, (a, b) -> true));
    JsonNode event = json.readTree(last.body());
    assertThat(event.get("type").asText()).isEqualTo("video.succeeded");
    assertThat(event.get("data").get("id").asText()).isEqualTo(video.toString());
    JsonNode log = json.readTree(get("/v1/videos/" + video + "/notifications", key).body());
    JsonNode webhook = find(log, "webhook");
    assertThat(webhook.get("attempts").asInt()).isEqualTo(3);
    assertThat(webhook.get("attempt_log").findValuesAsText("outcome")).containsExactly("retry", "retry", "sent");
    assertThat(webhook.get("attempt_log").findValuesAsText("reply")).containsExactly("HTTP 503", "HTTP 503", "HTTP 204");
    assertThat(get("/v1/videos/" + video + "/notifications", newKey()).statusCode()).isEqualTo(404);
  }

  @Test
  void aReceiverOnAPrivateAddressIsRefusedAndDeadAtOnce() throws Exception {
    String key = newKey();
    UUID video = finishedVideo(key, "succeeded", "{\"callback_url\": \"http://10.20.30.40/hook\"}");

    notify(video, "video.succeeded");

    await().atMost(Duration.ofSeconds(20)).until(() -> status(video, "webhook").equals("dead"));
    JsonNode webhook = find(json.readTree(get("/v1/videos/" + video + "/notifications", key).body()), "webhook");
    assertThat(webhook.get("attempts").asInt()).isEqualTo(1);
    assertThat(webhook.get("last_error").asText()).startsWith("refused target");
  }

  @Test
  void preferencesTurnChannelsOffAndPushGoesToFcmWithAnOAuthToken() throws Exception {
    String key = newKey();
    HttpResponse<String> refused = put("/v1/notification-settings", key, "{\"events\": {\"video.failed\": [\"fax\"]}}");
    assertThat(refused.statusCode()).isEqualTo(400);
    HttpResponse<String> set = put("/v1/notification-settings", key,
        "{\"events\": {\"video.failed\": [\"push\"]}, \"email\": \"cy@example.com\"}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    String token = "device-" + UUID.randomUUID();
    UUID video = finishedVideo(key, "failed", "{\"push_token\": \"" + token + "\"}");
    int before = FCM.size();

    notify(video, "video.failed");

    await().atMost(Duration.ofSeconds(20)).until(() -> status(video, "push").equals("sent"));
    Thread.sleep(500);
    assertThat(channels(video)).as("email is off for video.failed").containsExactlyInAnyOrder("feed", "push");
    List<Received> sends = FCM.subList(before, FCM.size()).stream()
        .filter(r -> r.headers().containsKey("authorization")).toList();
    assertThat(sends).hasSize(1);
    assertThat(sends.get(0).headers().get("authorization")).isEqualTo("Bearer fcm-access-token");
    JsonNode message = json.readTree(sends.get(0).body()).get("message");
    assertThat(message.get("token").asText()).isEqualTo(token);
    assertThat(message.get("android").get("collapse_key").asText()).isEqualTo(messageId(video, "push"));
  }

  private HttpResponse<String> put(String path, String key, String body) throws Exception {
    return HTTP.send(request(path, key).header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A video of the key's user, already {@code status}, with {@code delivery}. */
  private UUID finishedVideo(String key, String status, String delivery) {
    String user = jdbc.sql("select user_id from api_keys where key_hash = ?").param(Sha256.hex(key))
        .query(String.class).single();
    StoredVideo video = StoredVideo.of(user, status).delivery(delivery);
    return (status.equals("failed") ? video.error("render_failed", "ffmpeg exited 1") : video).insert(jdbc);
  }

  private void notify(UUID video, String event) throws Exception {
    rabbit.convertAndSend("reelflow", "notify.send", json.writeValueAsBytes(new NotificationRequest(video, event)));
  }

  private List<MimeMessage> mailsTo(String address) throws Exception {
    List<MimeMessage> mails = new ArrayList<>();
    for (MimeMessage m : SMTP.getReceivedMessages()) {
      if (m.getAllRecipients()[0].toString().equals(address)) {
        mails.add(m);
      }
    }
    return mails;
  }

  private String status(UUID video, String channel) {
    return jdbc.sql("select status from notifications where video_id = ? and channel = ?").params(video, channel)
        .query(String.class).optional().orElse("none");
  }

  private String messageId(UUID video, String channel) {
    return jdbc.sql("select message_id from notifications where video_id = ? and channel = ?").params(video, channel)
        .query(String.class).single();
  }

  private List<String> channels(UUID video) {
    return jdbc.sql("select channel from notifications where video_id = ?").param(video).query(String.class).list();
  }

  private static JsonNode find(JsonNode list, String channel) {
    for (JsonNode entry : list) {
      if (entry.get("channel").asText().equals(channel)) {
        return entry;
      }
    }
    throw new AssertionError("no " + channel + " notification in " + list);
  }

  private static String base() {
    return "http://127.0.0.1:" + RECEIVER.getAddress().getPort();
  }

  /** The webhook receiver (fails while FAILURES_LEFT > 0), the OAuth token endpoint and FCM. */
  private static HttpServer server() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/hook", exchange -> {
        WEBHOOKS.add(read(exchange));
        answer(exchange, FAILURES_LEFT.getAndDecrement() > 0 ? 503 : 204, "");
      });
      server.createContext("/token", exchange -> {
        Received request = read(exchange);
        String assertion = request.body().replaceAll(".*assertion=([^&]+).*", "$1");
        answer(exchange, verifies(assertion) ? 200 : 401,
            "{\"access_token\": \"fcm-access-token\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}");
      });
      server.createContext("/v1/projects/reelflow-test/messages:send", exchange -> {
        FCM.add(read(exchange));
        answer(exchange, 200, "{\"name\": \"projects/reelflow-test/messages/1\"}");
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean verifies(String jwt) {
    try {
      String[] parts = jwt.split("\\.");
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(FCM_KEY.getPublic());
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      return rsa.verify(Base64.getUrlDecoder().decode(parts[2])) && claims.contains("firebase.messaging");
    } catch (Exception e) {
      return false;
    }
  }

  private static Received read(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
    return new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    if (status != 204) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A service account key file in Google's format, with the test's RSA key. */
  private static Path serviceAccount() {
    try {
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder().encodeToString(FCM_KEY.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
      Map<String, String> account = Map.of("type", "service_account", "client_email", "reelflow@test.iam",
          "private_key", pem, "token_uri", base() + "/token");
      Path file = Files.createTempFile("service-account", ".json");
      Files.writeString(file, new ObjectMapper().writeValueAsString(account));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
