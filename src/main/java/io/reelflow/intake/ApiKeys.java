package io.reelflow.intake;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.reelflow.video.Sha256;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * API keys: {@code rf_} and 40 hex characters, stored only as a SHA-256 hash. The same format is
 * made by {@code scripts/apikey}.
 */
@Component("apiKeys")
public class ApiKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** How long a live key is trusted without asking the database again. */
  static final Duration CACHE_TTL = Duration.ofSeconds(30);

  private final JdbcClient jdbc;
  private final Cache<String, Caller> known =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(CACHE_TTL).build();

  ApiKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The caller named by an {@code Authorization: Bearer} header. Live keys are remembered for
   * {@link #CACHE_TTL} (so a revocation or tier change takes effect within that time); unknown
   * keys are looked up every time.
   *
   * @throws ApiException 401 when the header is missing, malformed, unknown or revoked
   */
  public Caller authenticate(@Header("Authorization") String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiException.unauthorized();
    }
    String keyHash = hash(authorization.substring(7).strip());
    Caller caller = known.get(keyHash, this::lookup);
    if (caller == null) {
      throw ApiException.unauthorized();
    }
    return caller;
  }

  private Caller lookup(String keyHash) {
    return jdbc.sql("select user_id, tier from api_keys where key_hash = ? and revoked_at is null")
        .param(keyHash)
        .query(Caller.class)
        .optional()
        .orElse(null);
  }

  /** Creates a key for {@code userId}; the plain key is returned once and never stored. */
  public String create(String userId, String tier, String label) {
    byte[] secret = new byte[20];
    RANDOM.nextBytes(secret);
    String key = "rf_" + HexFormat.of().formatHex(secret);
    jdbc.sql("insert into api_keys (id, user_id, tier, key_hash, key_prefix, label) values (?, ?, ?, ?, ?, ?)")
        .params(UUID.randomUUID(), userId, tier, hash(key), key.substring(0, 7), label)
        .update();
    return key;
  }

  /** True when {@code key} is a live key. */
  public boolean isValid(String key) {
    return jdbc.sql("select count(*) from api_keys where key_hash = ? and revoked_at is null")
        .param(hash(key))
        .query(Integer.class)
        .single() > 0;
  }

  static String hash(String key) {
    return Sha256.hex(key);
  }
}
