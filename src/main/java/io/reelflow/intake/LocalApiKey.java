package io.reelflow.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * Local development key: on start, when {@code reelflow.api.local-key-file} is set and holds no
 * live key, creates one for user {@code local} (tier {@code pro}) and writes it there, mode 600.
 * It is written before the API starts listening (after every bean is made, before the servers
 * and routes start), so a client that sees the API up finds the key.
 */
@Component
@ConditionalOnExpression("'${reelflow.api.local-key-file:}' != ''")
class LocalApiKey implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(LocalApiKey.class);

  private final ApiKeys keys;
  private final Path file;

  LocalApiKey(ApiKeys keys, ApiSettings settings) {
    this.keys = keys;
    this.file = Path.of(settings.localKeyFile());
  }

  @Override
  public void afterSingletonsInstantiated() {
    try {
      write();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the local API key to " + file, e);
    }
  }

  private void write() throws IOException {
    if (Files.exists(file) && keys.isValid(Files.readString(file, StandardCharsets.UTF_8).strip())) {
      return;
    }
    String key = keys.create("local", "pro", "local development key");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
    log.info("wrote a local API key for user 'local' to {}", file.toAbsolutePath());
  }
}
