/**
 * Input moderation of video prompts before anything is queued: the {@link
 * io.reelflow.safety.Moderator} contract and its {@link io.reelflow.safety.ModerationVerdict},
 * the local rules-then-embeddings cascade, and the request/response mapping of an
 * OpenAI-compatible {@code /v1/moderations} endpoint (the HTTP call itself is a route's).
 * Owns the category codes, the lexicon and the exemplar sentences under {@code safety/}.
 */
package io.reelflow.safety;
