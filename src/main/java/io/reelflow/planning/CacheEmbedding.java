package io.reelflow.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.embedding.Embedder;
import io.reelflow.embedding.EmbeddingSettings;
import io.reelflow.embedding.LocalEmbedder;
import io.reelflow.embedding.OpenAiEmbedder;
import io.reelflow.generation.ProviderBreakers;
import io.reelflow.provider.ProviderHttp;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The semantic cache's embedding model ({@code reelflow.embedding.kind}): the in-process model,
 * or an OpenAI-compatible endpoint behind the circuit breaker {@code embedder}.
 */
@Configuration
class CacheEmbedding {

  static final String BEAN = "cacheEmbedder";

  @Bean(BEAN)
  Embedder cacheEmbedder(EmbeddingSettings settings, LocalEmbedder local, ProviderHttp http, ObjectMapper mapper,
      ProviderBreakers breakers) {
    return settings.remote() ? new OpenAiEmbedder(settings, http, mapper, breakers.of("embedder")) : local;
  }
}
