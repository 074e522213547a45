package io.reelflow.notify;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Notifications ({@code reelflow.notifications.*}).
 *
 * @param publicBaseUrl where users reach the API, for the links in notifications
 * @param initialBackoff delay before the second attempt; doubles per attempt
 * @param maxBackoff longest delay between attempts
 * @param retryWindow how long after the event a failing delivery is still tried; then it is dead
 * @param claimSeconds how long a delivery in progress is this instance's; a crash between sending
 *     and marking it sent is sent again (same message id) after this
 * @param retryIntervalMs how often due retries are looked for
 * @param mail SMTP, or a directory of {@code .eml} files when no host is set
 * @param push FCM HTTP v1, or a directory of JSON files when no project is set
 */
@ConfigurationProperties("reelflow.notifications")
public record NotifySettings(String publicBaseUrl, Duration initialBackoff, Duration maxBackoff,
    Duration retryWindow, int claimSeconds, long retryIntervalMs, Mail mail, Push push) {

  public NotifySettings {
    publicBaseUrl = publicBaseUrl == null ? "http://localhost:8080" : publicBaseUrl.replaceAll("/+$", "");
    initialBackoff = initialBackoff == null ? Duration.ofSeconds(30) : initialBackoff;
    maxBackoff = maxBackoff == null ? Duration.ofHours(1) : maxBackoff;
    retryWindow = retryWindow == null ? Duration.ofHours(24) : retryWindow;
    claimSeconds = claimSeconds <= 0 ? 60 : claimSeconds;
    retryIntervalMs = retryIntervalMs <= 0 ? 5000 : retryIntervalMs;
    mail = mail == null ? new Mail(null, 587, null, null, true, null, null) : mail;
    push = push == null ? new Push(null, null, null, null) : push;
  }

  /**
   * @param host SMTP host; empty: write {@code .eml} files to {@code directory}
   * @param from the sender address
   */
  public record Mail(String host, int port, String username, String password, boolean starttls, String from,
      String directory) {

    public Mail {
      port = port <= 0 ? 587 : port;
      from = from == null || from.isBlank() ? "Reelflow <no-reply@reelflow.local>" : from;
      directory = directory == null || directory.isBlank() ? "data/mail" : directory;
    }
  }

  /**
   * @param fcmProjectId Firebase project; empty: write JSON files to {@code directory}
   * @param fcmServiceAccountFile the service account key (JSON) that signs token requests
   * @param fcmBaseUrl the FCM API root (https://fcm.googleapis.com)
   */
  public record Push(String fcmProjectId, String fcmServiceAccountFile, String fcmBaseUrl, String directory) {

    public Push {
      fcmBaseUrl = fcmBaseUrl == null || fcmBaseUrl.isBlank() ? "https://fcm.googleapis.com" : fcmBaseUrl;
      directory = directory == null || directory.isBlank() ? "data/push" : directory;
    }

    public boolean fcm() {
      return fcmProjectId != null && !fcmProjectId.isBlank();
    }
  }
}
