package io.reelflow.ops;

import io.reelflow.provider.LocalMediaSettings;
import io.reelflow.storage.MediaStore;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Actuator health for what Spring Boot does not check itself: ffmpeg and object storage. */
@Configuration(proxyBeanMethods = false)
class ToolHealth {

  @Bean
  HealthIndicator ffmpegHealthIndicator(LocalMediaSettings settings) {
    return () -> {
      try {
        Process p = new ProcessBuilder(settings.ffmpeg(), "-hide_banner", "-version")
            .redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readNBytes(200)).lines().findFirst().orElse("");
        boolean done = p.waitFor(5, TimeUnit.SECONDS);
        return done && p.exitValue() == 0
            ? Health.up().withDetail("version", first).build()
            : Health.down().withDetail("exit", done ? p.exitValue() : "timeout").build();
      } catch (Exception e) {
        return Health.down(e).build();
      }
    };
  }

  @Bean
  HealthIndicator objectStorageHealthIndicator(MediaStore store) {
    return () -> {
      try {
        store.reachable();
        return Health.up().withDetail("bucket", store.bucket()).build();
      } catch (Exception e) {
        return Health.down().withDetail("bucket", store.bucket()).withDetail("error", e.getMessage()).build();
      }
    };
  }
}
