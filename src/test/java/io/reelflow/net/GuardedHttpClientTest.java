package io.reelflow.net;

import static io.reelflow.net.LocalServer.answer;
import static io.reelflow.net.LocalServer.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuardedHttpClientTest {

  private static final NetSettings PLAIN_HTTP = new NetSettings(false, List.of(), 2000, 2000);
  private static final NetSettings LOOPBACK_ALLOWED = new NetSettings(false, List.of("127.0.0.1"), 2000, 2000);

  private final LocalServer server = new LocalServer();

  GuardedHttpClientTest() throws IOException {
    server.on("/ok", answer(200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void refusesToConnectWhenTheNameRebindsToAPrivateAddressAfterTheCheck() throws IOException {
    UrlPolicy policy = new UrlPolicy(PLAIN_HTTP, FakeDns.rebinding("rebind.example.com", "93.184.216.34", "127.0.0.1"));
    String url = "http://rebind.example.com:" + server.port() + "/ok";
    assertThat(policy.check("callback_url", url)).isNotNull();

    try (GuardedHttpClient client = new GuardedHttpClient(policy)) {
      assertThatThrownBy(() -> client.execute(new HttpGet(url), GuardedHttpClientTest::body))
          .isInstanceOfSatisfying(UnsafeUrlException.class,
              e -> assertThat(e.reason()).isEqualTo("resolves to a private address"));
    }
    assertThat(server.hits()).isZero();
  }

  @Test
  void camelEndpointsWithTheGuardedConfigurerRefuseTheSameRebinding() throws IOException {
    UrlPolicy policy = new UrlPolicy(PLAIN_HTTP, FakeDns.rebinding("rebind.example.com", "93.184.216.34", "127.0.0.1"));
    String url = "http://rebind.example.com:" + server.port() + "/ok";
    assertThat(policy.check("callback_url", url)).isNotNull();

    HttpClientBuilder builder = HttpClientBuilder.create();
    try (GuardedHttpConfigurer configurer = new GuardedHttpConfigurer(policy)) {
      configurer.configureHttpClient(builder);
      try (CloseableHttpClient client = builder.build()) {
        assertThatThrownBy(() -> client.execute(new HttpGet(url), GuardedHttpClientTest::body))
            .isInstanceOf(IOException.class)
            .satisfies(e -> assertThat(GuardedHttpClient.refusalBehind(e)).isNotNull());
      }
    }
    assertThat(server.hits()).isZero();
  }

  @Test
  void refusesALoopbackUrlThatIsNotAllowListed() throws IOException {
    try (GuardedHttpClient client = new GuardedHttpClient(new UrlPolicy(PLAIN_HTTP, HostResolver.system()))) {
      assertThatThrownBy(() -> client.execute(new HttpGet(server.url("/ok")), GuardedHttpClientTest::body))
          .isInstanceOf(UnsafeUrlException.class);
    }
    assertThat(server.hits()).isZero();
  }

  @Test
  void connectsToTheAddressTheGuardedResolverAnswers() throws IOException {
    FakeDns dns = new FakeDns().with("images.test", "127.0.0.1");
    try (GuardedHttpClient client = new GuardedHttpClient(new UrlPolicy(LOOPBACK_ALLOWED, dns))) {
      String body = client.execute(new HttpGet("http://images.test:" + server.port() + "/ok"), GuardedHttpClientTest::body);

      assertThat(body).isEqualTo("ok");
    }
  }

  @Test
  void refusesARedirectToTheMetadataService() throws IOException {
    server.on("/bounce", redirect("http://169.254.169.254/latest/meta-data/"));
    try (GuardedHttpClient client = new GuardedHttpClient(new UrlPolicy(LOOPBACK_ALLOWED, HostResolver.system()))) {
      assertThatThrownBy(() -> client.execute(new HttpGet(server.url("/bounce")), GuardedHttpClientTest::body))
          .isInstanceOfSatisfying(UnsafeUrlException.class,
              e -> assertThat(e).hasMessage("redirect resolves to a private address"));
    }
  }

  @Test
  void followsAnAdmittedRedirect() throws IOException {
    server.on("/moved", redirect(server.url("/ok")));
    try (GuardedHttpClient client = new GuardedHttpClient(new UrlPolicy(LOOPBACK_ALLOWED, HostResolver.system()))) {
      assertThat(client.execute(new HttpGet(server.url("/moved")), GuardedHttpClientTest::body)).isEqualTo("ok");
    }
  }

  @Test
  void followsAtMostThreeRedirects() throws IOException {
    server.on("/hop/", exchange -> {
      int hop = Integer.parseInt(exchange.getRequestURI().getPath().substring("/hop/".length()));
      redirect(server.url("/hop/" + (hop + 1))).handle(exchange);
    });
    try (GuardedHttpClient client = new GuardedHttpClient(new UrlPolicy(LOOPBACK_ALLOWED, HostResolver.system()))) {
      assertThatThrownBy(() -> client.execute(new HttpGet(server.url("/hop/0")), GuardedHttpClientTest::body))
          .isInstanceOf(ClientProtocolException.class);
    }
    assertThat(server.hits()).isEqualTo(1 + GuardedHttpClient.MAX_REDIRECTS);
  }

  private static String body(ClassicHttpResponse response) throws IOException, ParseException {
    return EntityUtils.toString(response.getEntity());
  }
}
