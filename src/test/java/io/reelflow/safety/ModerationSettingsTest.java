package io.reelflow.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.embedding.LocalEmbedder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The {@code reelflow.moderation.*} keys and the beans they reach. */
class ModerationSettingsTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(ModerationSettings.class)
  static class Wiring {}

  private final ApplicationContextRunner context = new ApplicationContextRunner()
      .withUserConfiguration(Wiring.class, LocalEmbedder.class, LocalModerator.class, OpenAiModeration.class)
      .withBean(ObjectMapper.class);

  @Test
  void everyKeyHasADefault() {
    context.run(ctx -> {
      ModerationSettings settings = ctx.getBean(ModerationSettings.class);
      assertThat(settings.provider()).isEqualTo("local");
      assertThat(settings.baseUrl()).isEqualTo("https://api.openai.com");
      assertThat(settings.apiKey()).isEmpty();
      assertThat(settings.model()).isEqualTo("omni-moderation-latest");
      assertThat(settings.timeoutMs()).isEqualTo(3000);
      assertThat(settings.failurePolicy()).isEqualTo("closed");
      assertThat(settings.similarityThreshold()).isEqualTo(LocalModerator.DEFAULT_THRESHOLD);
      assertThat(settings.benignMargin()).isEqualTo(LocalModerator.DEFAULT_MARGIN);
    });
  }

  @Test
  void bindsKeysUnderReelflowModerationAndWiresTheNamedBeans() {
    context.withPropertyValues(
            "reelflow.moderation.provider=openai",
            "reelflow.moderation.model=text-moderation-latest",
            "reelflow.moderation.similarity-threshold=0.5",
            "reelflow.moderation.failure-policy=open")
        .run(ctx -> {
          ModerationSettings settings = ctx.getBean(ModerationSettings.class);
          assertThat(settings.provider()).isEqualTo("openai");
          assertThat(settings.similarityThreshold()).isEqualTo(0.5);
          assertThat(settings.failurePolicy()).isEqualTo("open");
          assertThat(ctx.getBean("localModerator")).isInstanceOf(LocalModerator.class);
          assertThat(ctx.getBean("openAiModeration", OpenAiModeration.class).requestBody("x"))
              .contains("text-moderation-latest");
        });
  }
}
