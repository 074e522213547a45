package io.reelflow.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * OAuth 2.0 access for FCM HTTP v1 from a Google service account key: a JWT signed with the key
 * (RS256, scope {@code firebase.messaging}) is exchanged at the key's {@code token_uri} for an
 * access token, kept until a minute before it expires. Thread-safe.
 */
@Component("fcmAccess")
public class FcmAccess {

  private static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

  private final NotifySettings settings;
  private final ObjectMapper mapper;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String token;
  private Instant expires = Instant.MIN;

  FcmAccess(NotifySettings settings, ObjectMapper mapper) {
    this.settings = settings;
    this.mapper = mapper;
  }

  /** {@code Bearer <access token>}, fetched again shortly before the last one expires. */
  public synchronized String bearer() throws IOException, InterruptedException, GeneralSecurityException {
    if (token == null || Instant.now().isAfter(expires)) {
      JsonNode account = mapper.readTree(Files.readString(Path.of(settings.push().fcmServiceAccountFile())));
      String tokenUri = account.path("token_uri").asText("https://oauth2.googleapis.com/token");
      String assertion = jwt(account.path("client_email").asText(), tokenUri, account.path("private_key").asText());
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(tokenUri))
              .timeout(Duration.ofSeconds(20))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString("grant_type="
                  + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                  + "&assertion=" + assertion))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IOException("FCM token request answered " + answer.statusCode());
      }
      JsonNode body = mapper.readTree(answer.body());
      token = body.path("access_token").asText();
      expires = Instant.now().plusSeconds(Math.max(60, body.path("expires_in").asLong(3600)) - 60);
    }
    return "Bearer " + token;
  }

  /** The token request's assertion: a JWT signed with the service account's key. */
  static String jwt(String clientEmail, String audience, String privateKeyPem) throws GeneralSecurityException {
    long now = Instant.now().getEpochSecond();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(("{\"iss\":\"" + clientEmail + "\",\"scope\":\"" + SCOPE + "\",\"aud\":\""
        + audience + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}").getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(privateKey(privateKeyPem));
    rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + b64.encodeToString(rsa.sign());
  }

  private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}
