/**
 * A provider simulator: a test double for the remote providers, not used by the application at
 * run time. {@link io.reelflow.sim.ProviderSimulator} serves, on 127.0.0.1, Replicate's
 * asynchronous predictions API (create with idempotency keys, get, cancel, Standard Webhooks
 * callbacks, generated PNG outputs) and OpenAI's {@code /v1/audio/speech} (generated WAV), with
 * configurable latency, GPU slots and faults, so the remote adapters and their tests run without
 * the internet. {@code scripts/provider-sim} runs it on its own.
 */
package io.reelflow.sim;
