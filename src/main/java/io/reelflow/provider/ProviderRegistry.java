package io.reelflow.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.video.SceneJob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Every provider by name, local ones (Spring beans) and the remote ones configured under {@code
 * reelflow.providers.remote}, and the chain of each capability. Fails at start-up when a chain
 * names a provider that does not exist or serves another capability.
 */
@Component
public class ProviderRegistry {

  private final Map<String, MediaProvider> byName = new LinkedHashMap<>();
  private final Map<Capability, List<MediaProvider>> chains = new LinkedHashMap<>();

  ProviderRegistry(List<MediaProvider> local, ProviderSettings settings, ProviderHttp http, ObjectMapper mapper,
      LocalMediaSettings media, ProcessRunner runner) {
    local.forEach(p -> byName.put(p.name(), p));
    settings.remote().forEach((name, remote) -> byName.put(name, remote(name, remote, http, mapper, media, runner)));
    for (Capability capability : Capability.values()) {
      List<MediaProvider> chain = new ArrayList<>();
      for (String name : settings.chain(capability)) {
        MediaProvider provider = byName.get(name);
        if (provider == null || provider.capability() != capability) {
          throw new IllegalStateException("reelflow.providers." + capability.key() + " names '" + name
              + "', which is not a " + capability.key() + " provider; known: " + byName.keySet());
        }
        chain.add(provider);
      }
      if (chain.isEmpty()) {
        throw new IllegalStateException("reelflow.providers." + capability.key() + " names no provider");
      }
      chains.put(capability, List.copyOf(chain));
    }
  }

  private static MediaProvider remote(String name, ProviderSettings.Remote remote, ProviderHttp http,
      ObjectMapper mapper, LocalMediaSettings media, ProcessRunner runner) {
    return switch (remote.kind() == null ? "" : remote.kind()) {
      case "replicate" -> new ReplicateVisualProvider(name, remote, http, mapper, media, runner);
      case "openai-speech" -> new OpenAiSpeechProvider(name, remote, http, mapper);
      default -> throw new IllegalStateException("reelflow.providers.remote." + name + ".kind must be replicate or"
          + " openai-speech, not '" + remote.kind() + "'");
    };
  }

  /** The providers that may make this scene's {@code capability}, in fallback order. */
  public List<MediaProvider> chain(Capability capability, SceneJob scene) {
    return chains.get(capability).stream().filter(p -> p.supports(scene)).toList();
  }

  /** The provider called {@code name}, or null. */
  public MediaProvider named(String name) {
    return byName.get(name);
  }

  /** Every provider in some chain. */
  public Collection<MediaProvider> inUse() {
    return chains.values().stream().flatMap(List::stream).distinct().toList();
  }
}
