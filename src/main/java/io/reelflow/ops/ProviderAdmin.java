package io.reelflow.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.reelflow.generation.ProviderBreakers;
import io.reelflow.generation.ProviderSlots;
import io.reelflow.intake.ApiException;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The operators' view of the providers ({@code routes/admin.camel.yaml}): slots, calls in flight,
 * waiting scenes and circuit state of each, and changing a provider's slots at run time (the "GPU
 * capacity halved" case). Guarded by {@code reelflow.admin.token}; with no token set the admin
 * API refuses every call.
 */
@Component("providerAdmin")
public class ProviderAdmin {

  /** One provider as operators see it. */
  public record ProviderDocument(
      String name,
      String capability,
      int slots,
      @JsonProperty("in_flight") int inFlight,
      @JsonProperty("free_in_flight") int freeInFlight,
      @JsonProperty("waiting_here") int waitingHere,
      String circuit) {}

  private final ProviderRegistry registry;
  private final ProviderSlots slots;
  private final ProviderBreakers breakers;
  private final byte[] token;

  ProviderAdmin(ProviderRegistry registry, ProviderSlots slots, ProviderBreakers breakers,
      @Value("${reelflow.admin.token:}") String token) {
    this.registry = registry;
    this.slots = slots;
    this.breakers = breakers;
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** @throws ApiException 401 unless the header carries the admin token */
  public void authorize(@Header("Authorization") String authorization) {
    boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    byte[] given = bearer ? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (token.length == 0 || !MessageDigest.isEqual(token, given)) {
      throw ApiException.unauthorized();
    }
  }

  /** Every provider in a chain. */
  public List<ProviderDocument> list() {
    return registry.inUse().stream().map(this::document).toList();
  }

  /**
   * Sets the slots of provider {@code name} from a body {@code {"slots": n}}, 0–1000; takes
   * effect on every instance at its next slot decision, and calls in flight finish.
   */
  public ProviderDocument setSlots(@Header("name") String name, JsonNode body) {
    MediaProvider provider = registry.named(name);
    if (provider == null) {
      throw new ApiException(404, "not_found", "Not found", "no provider " + name, List.of());
    }
    JsonNode value = body == null ? null : body.get("slots");
    if (value == null || !value.isInt() || value.asInt() < 0 || value.asInt() > 1000 || body.size() != 1) {
      throw ApiException.invalid("slots", "an integer from 0 to 1000, and nothing else");
    }
    slots.setCapacity(name, value.asInt());
    return document(provider);
  }

  private ProviderDocument document(MediaProvider provider) {
    ProviderSlots.Usage usage = slots.usage(provider.name());
    return new ProviderDocument(provider.name(), provider.capability().key(), usage.capacity(), usage.inFlight(),
        usage.freeInFlight(), slots.waiting(provider.name()),
        breakers.of(provider.name()).getState().name().toLowerCase(Locale.ROOT));
  }
}
