package io.reelflow.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

class NetSettingsTest {

  @Test
  void defaultsToHttpsOnlyWithNothingAllowListed() {
    NetSettings settings = bind(Map.of());

    assertThat(settings).isEqualTo(NetSettings.defaults());
    assertThat(settings.requireHttps()).isTrue();
    assertThat(settings.allowedHosts()).isEmpty();
    assertThat(settings.connectTimeoutMs()).isEqualTo(5000);
    assertThat(settings.readTimeoutMs()).isEqualTo(15000);
  }

  @Test
  void bindsTheLocalProfileAndACommaSeparatedAllowList() {
    NetSettings settings = bind(Map.of(
        "reelflow.net.require-https", "false",
        "reelflow.net.allowed-hosts", "127.0.0.1,minio.internal,10.20.0.0/16",
        "reelflow.net.read-timeout-ms", "30000"));

    assertThat(settings.requireHttps()).isFalse();
    assertThat(settings.allowedHosts()).containsExactly("127.0.0.1", "minio.internal", "10.20.0.0/16");
    assertThat(settings.readTimeoutMs()).isEqualTo(30000);
  }

  @Test
  void theContextOffersTheGuardedClientAndTheCamelConfigurerByName() {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.registerBean(NetSettings.class, NetSettings::defaults);
      context.register(NetConfiguration.class, UrlPolicy.class);
      context.refresh();

      assertThat(context.getBean(GuardedHttpClient.class)).isNotNull();
      assertThat(context.getBean("guardedHttp")).isInstanceOf(HttpClientConfigurer.class);
    }
  }

  private static NetSettings bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("reelflow.net", NetSettings.class);
  }
}
