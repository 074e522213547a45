package io.reelflow.safety;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Prompt moderation ({@code reelflow.moderation.*}); every key has a default.
 *
 * @param provider {@code local} (rules, then embeddings, in-process) or {@code openai} (an
 *     OpenAI-compatible {@code /v1/moderations} endpoint, after the local rules)
 * @param baseUrl base URL of the remote endpoint, without {@code /v1/moderations}
 * @param apiKey bearer token of the remote endpoint
 * @param model moderation model asked of the remote endpoint
 * @param timeoutMs how long the remote call may take before the failure policy applies
 * @param failurePolicy when the remote endpoint fails: {@code closed} refuses the submission
 *     (503), {@code open} lets it through unmoderated
 * @param similarityThreshold a gray-zone prompt is blocked when its cosine similarity to a
 *     category's exemplars reaches this
 * @param benignMargin ...and beats its similarity to the ordinary-ad exemplars by this much
 */
@ConfigurationProperties("reelflow.moderation")
record ModerationSettings(
    @DefaultValue("local") String provider,
    @DefaultValue("https://api.openai.com") String baseUrl,
    @DefaultValue("") String apiKey,
    @DefaultValue("omni-moderation-latest") String model,
    @DefaultValue("3000") int timeoutMs,
    @DefaultValue("closed") String failurePolicy,
    @DefaultValue("0.40") double similarityThreshold,
    @DefaultValue("0.08") double benignMargin) {}
