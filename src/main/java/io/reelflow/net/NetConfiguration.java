package io.reelflow.net;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The guarded clients: {@link GuardedHttpClient} for Java callers, and {@code guardedHttp} for
 * camel-http endpoints ({@code ?httpClientConfigurer=#guardedHttp}). Both resolve hosts through
 * the same {@link UrlPolicy}.
 */
@Configuration(proxyBeanMethods = false)
class NetConfiguration {

  @Bean
  HostResolver hostResolver() {
    return HostResolver.system();
  }

  @Bean(destroyMethod = "close")
  GuardedHttpClient guardedHttpClient(UrlPolicy policy) {
    return new GuardedHttpClient(policy);
  }

  @Bean(name = "guardedHttp", destroyMethod = "close")
  HttpClientConfigurer guardedHttp(UrlPolicy policy) {
    return new GuardedHttpConfigurer(policy);
  }
}
