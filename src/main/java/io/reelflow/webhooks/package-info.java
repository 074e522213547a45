/**
 * Standard Webhooks (https://www.standardwebhooks.com) symmetric signatures: the {@link
 * io.reelflow.webhooks.WebhookSecret} ({@code whsec_…}), the {@link
 * io.reelflow.webhooks.WebhookSigner} that produces the {@code webhook-id}, {@code
 * webhook-timestamp} and {@code webhook-signature} headers for outbound notifications, and the
 * {@link io.reelflow.webhooks.WebhookVerifier} that checks them on inbound provider callbacks.
 * Owns only the cryptographic envelope: delivery, retries, idempotency on {@code webhook-id} and
 * where secrets are stored belong to the callers.
 */
package io.reelflow.webhooks;
