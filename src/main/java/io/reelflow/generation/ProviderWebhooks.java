package io.reelflow.generation;

import io.reelflow.intake.ApiException;
import io.reelflow.provider.JobReport;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderException;
import io.reelflow.provider.ProviderRegistry;
import io.reelflow.provider.ProviderSettings;
import io.reelflow.video.Sha256;
import io.reelflow.webhooks.WebhookSecret;
import io.reelflow.webhooks.WebhookVerificationException;
import io.reelflow.webhooks.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Inbound provider webhooks ({@code routes/webhooks.camel.yaml}): the signature is checked before
 * anything else (Standard Webhooks, with the provider's secrets); a webhook that passes is kept in
 * the {@code inbound_webhooks} inbox, answered, and applied asynchronously. A provider configured
 * without secrets cannot sign: its webhook is only a hint, and the job is fetched from the
 * provider before any state changes. A webhook about a job not recorded yet (it can overtake the
 * worker's own record of the job) stays in the inbox and is tried again by the reconciler.
 */
@Component("providerWebhooks")
public class ProviderWebhooks {

  private static final int MAX_BODY_BYTES = 1 << 20;
  private static final int MAX_KEY = 100;

  private final ProviderRegistry registry;
  private final ProviderSettings settings;
  private final JobUpdates updates;
  private final JdbcClient jdbc;
  private final ReconcilerSettings reconciler;
  private final Map<String, WebhookVerifier> verifiers = new ConcurrentHashMap<>();

  ProviderWebhooks(ProviderRegistry registry, ProviderSettings settings, JobUpdates updates, JdbcClient jdbc,
      ReconcilerSettings reconciler) {
    this.registry = registry;
    this.settings = settings;
    this.updates = updates;
    this.jdbc = jdbc;
    this.reconciler = reconciler;
  }

  /**
   * The body as sent, at most 1 MiB.
   *
   * @throws ApiException 404 for a provider that sends no webhooks here, 413 for a larger body
   */
  public byte[] read(@Header("provider") String provider, @Body InputStream body) {
    webhookProvider(provider);
    if (body == null) {
      return new byte[0];
    }
    try (body) {
      byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw ApiException.payloadTooLarge("a webhook body must be at most " + MAX_BODY_BYTES + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.invalid("body", "could not be read");
    }
  }

  /**
   * Verifies the webhook's signature when the provider signs, and names it for deduplication:
   * {@code <provider>:<webhook-id>} (a provider that does not sign and sends no id: the body's
   * hash).
   *
   * @throws ApiException 401 {@code invalid_signature} for a missing, wrong or stale signature;
   *     400 {@code invalid_request} when the body is not one of the provider's job documents
   */
  public String verify(@Header("provider") String provider, @Headers Map<String, Object> headers,
      @Body byte[] body) {
    MediaProvider source = webhookProvider(provider);
    Map<String, String> values = new HashMap<>();
    headers.forEach((name, value) -> {
      if (value != null && name.toLowerCase(Locale.ROOT).startsWith("webhook-")) {
        values.put(name.toLowerCase(Locale.ROOT), String.valueOf(value));
      }
    });
    WebhookVerifier verifier = verifier(provider);
    if (verifier != null) {
      try {
        verifier.verify(values, body);
      } catch (WebhookVerificationException e) {
        throw new ApiException(401, "invalid_signature", "Unauthorized",
            "the webhook signature was refused: " + e.getMessage(), List.of());
      }
    }
    try {
      source.readWebhook(body);
    } catch (ProviderException e) {
      throw ApiException.invalid("body", e.getMessage());
    }
    String id = values.get("webhook-id");
    String key = provider + ":" + (id == null || id.isBlank() ? "sha256:" + Sha256.hex(new String(body,
        StandardCharsets.ISO_8859_1)) : id);
    return key.length() <= MAX_KEY ? key : provider + ":sha256:" + Sha256.hex(key);
  }

  /**
   * Keeps a verified webhook in the inbox.
   *
   * @return whether it is new (a concurrent duplicate that passed the id check finds it kept)
   */
  public boolean keep(@Header("provider") String provider, @Header("webhookKey") String key, @Body byte[] body) {
    return jdbc.sql("insert into inbound_webhooks (provider, webhook_id, payload, verified)"
            + " values (?, ?, cast(? as jsonb), ?) on conflict do nothing")
        .params(provider, key, new String(body, StandardCharsets.UTF_8), verifier(provider) != null)
        .update() == 1;
  }

  /** Applies the kept webhook {@code key} of {@code provider} if no one else is applying it. */
  public void apply(@Header("provider") String provider, @Header("webhookKey") String key) {
    claim("provider = ? and webhook_id = ?", List.of(provider, key)).forEach(this::applyOne);
  }

  /**
   * Applies kept webhooks that were not applied yet: a crash after the answer, or a job that was
   * not recorded yet when the webhook came. Safe on several instances (claims skip locked rows).
   *
   * @return how many were taken
   */
  public int applyPending() {
    List<Kept> pending = claim("next_attempt_at <= now()", List.of());
    pending.forEach(this::applyOne);
    return pending.size();
  }

  /** Forgets webhook ids and kept webhooks older than the retention; returns how many rows. */
  public int forgetOld() {
    long seconds = reconciler.webhookRetention().toSeconds();
    int ids = jdbc.sql("delete from processed_messages where processorname = 'provider-webhooks'"
            + " and createdat < now() - make_interval(secs => ?)")
        .param(seconds)
        .update();
    return ids + jdbc.sql("delete from inbound_webhooks where received_at < now() - make_interval(secs => ?)")
        .param(seconds)
        .update();
  }

  private record Kept(String provider, String webhookId, String payload, boolean verified,
      OffsetDateTime receivedAt) {}

  private List<Kept> claim(String where, List<Object> params) {
    return jdbc.sql("update inbound_webhooks set attempts = attempts + 1,"
            + " next_attempt_at = now() + make_interval(secs => least(60, 1 << least(attempts, 6)))"
            + " where (provider, webhook_id) in (select provider, webhook_id from inbound_webhooks"
            + " where processed_at is null and " + where + " order by received_at limit "
            + reconciler.batchSize() + " for update skip locked)"
            + " returning provider, webhook_id, payload::text as payload, verified, received_at")
        .params(params)
        .query(Kept.class)
        .list();
  }

  private void applyOne(Kept kept) {
    MediaProvider provider = registry.named(kept.provider());
    String outcome;
    if (provider == null) {
      outcome = "unknown_provider";
    } else {
      JobReport said = provider.readWebhook(kept.payload().getBytes(StandardCharsets.UTF_8));
      JobReport report = kept.verified() ? said : JobReport.of(said.jobId(), () -> provider.poll(said.jobId()));
      if (!report.conclusive()) {
        return;
      }
      ProviderJobs.Outcome applied = updates.apply(provider.name(), report, "webhook");
      boolean givenUp = kept.receivedAt().toInstant().plus(reconciler.unmatchedGiveUp())
          .isBefore(Instant.now());
      if (applied == ProviderJobs.Outcome.UNKNOWN_JOB && !givenUp) {
        return;
      }
      outcome = applied.name().toLowerCase(Locale.ROOT);
    }
    jdbc.sql("update inbound_webhooks set processed_at = now(), outcome = ? where provider = ? and webhook_id = ?")
        .params(outcome, kept.provider(), kept.webhookId())
        .update();
  }

  private MediaProvider webhookProvider(String name) {
    MediaProvider provider = name == null ? null : registry.named(name);
    if (provider == null || !provider.sendsWebhooks()) {
      throw new ApiException(404, "not_found", "Not found", "no provider " + name + " sends webhooks here", List.of());
    }
    return provider;
  }

  /** The verifier of a provider that signs; null for one configured without secrets. */
  private WebhookVerifier verifier(String provider) {
    ProviderSettings.Remote remote = settings.remote().get(provider);
    if (remote == null || remote.webhookSecrets().isEmpty()) {
      return null;
    }
    return verifiers.computeIfAbsent(provider,
        name -> new WebhookVerifier(remote.webhookSecrets().stream().map(WebhookSecret::parse).toList()));
  }
}
