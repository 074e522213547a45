package io.reelflow.planning;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Scene planning ({@code reelflow.planner.*}).
 *
 * @param kind {@code local} (the offline planner) or {@code openai} (any OpenAI-compatible chat
 *     completions endpoint: OpenAI, vLLM, Ollama), with the local planner as its fallback
 * @param baseUrl API root, e.g. {@code https://api.openai.com} or {@code http://localhost:11434}
 * @param apiKey bearer token; may be empty for a local server
 * @param model the chat model
 * @param timeout longest wait for one answer
 * @param pricePerThousandTokens cost of a thousand tokens (prompt and completion), for the ledger
 */
@ConfigurationProperties("reelflow.planner")
public record PlannerSettings(String kind, String baseUrl, String apiKey, String model, Duration timeout,
    double pricePerThousandTokens) {

  public PlannerSettings {
    kind = kind == null || kind.isBlank() ? "local" : kind;
    baseUrl = baseUrl == null ? "https://api.openai.com" : baseUrl.replaceAll("/+$", "");
    apiKey = apiKey == null ? "" : apiKey;
    model = model == null || model.isBlank() ? "gpt-4o-mini" : model;
    timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
  }

  boolean llm() {
    return kind.equals("openai");
  }
}
