package io.reelflow.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPolicyTest {

  private static final String FIELD = "reference_image_url";

  private final FakeDns dns = new FakeDns()
      .with("images.example.com", "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
      .with("intranet.example.com", "10.0.0.5")
      .with("mixed.example.com", "93.184.216.34", "127.0.0.1")
      .with("metadata.google.internal", "93.184.216.34")
      .with("minio.internal", "10.0.0.9")
      .with("build.internal", "10.20.1.1")
      .with("other.internal", "10.21.0.1");

  private final UrlPolicy policy = new UrlPolicy(NetSettings.defaults(), dns);

  @Test
  void acceptsAPublicHttpsUrlAndNormalisesIt() {
    assertThat(policy.check(FIELD, "HTTPS://Images.Example.com/a/./b/../c.png?size=large#top"))
        .hasToString("https://images.example.com/a/c.png?size=large");
    assertThat(policy.check(FIELD, "https://images.example.com")).hasToString("https://images.example.com/");
    assertThat(policy.check(FIELD, "https://images.example.com:8443/c.png"))
        .hasToString("https://images.example.com:8443/c.png");
  }

  @Test
  void requiresHttpsUnlessTheLocalProfileAllowsPlainHttp() {
    assertRefused("http://images.example.com/c.png", "must use https");

    UrlPolicy local = new UrlPolicy(new NetSettings(false, List.of(), 5000, 15000), dns);
    assertThat(local.check(FIELD, "http://images.example.com/c.png")).hasToString("http://images.example.com/c.png");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3",
      "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
      "[::1]", "[::]", "[fe80::1]", "[febf::1]", "[fc00::1]", "[fd00:ec2::254]", "[ff02::1]",
      "[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]", "[::ffff:a00:1]",
      "[64:ff9b::a9fe:a9fe]", "[2002:c0a8:101::1]"})
  void refusesLoopbackPrivateLinkLocalMetadataAndReservedAddresses(String host) {
    assertRefused("https://" + host + "/c.png", "resolves to a private address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"11.0.0.1", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
      "169.253.255.255", "192.169.0.1", "223.255.255.255", "[2606:4700::1111]", "[::ffff:93.184.216.34]"})
  void acceptsPublicAddressesJustOutsideTheBlockedRanges(String host) {
    assertThat(policy.check(FIELD, "https://" + host + "/c.png")).isNotNull();
  }

  @Test
  void refusesANameThatResolvesToAPrivateAddress() {
    assertRefused("https://intranet.example.com/c.png", "resolves to a private address");
  }

  @Test
  void refusesANameWhenAnyOneOfItsAddressesIsPrivate() {
    assertRefused("https://mixed.example.com/c.png", "resolves to a private address");
  }

  @Test
  void refusesAnIpv4MappedIpv6AnswerForALoopbackAddress() throws UnknownHostException {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    UrlPolicy mappedDns = new UrlPolicy(NetSettings.defaults(),
        new FakeDns().with("sneaky.example.com", Inet6Address.getByAddress(null, mapped, -1)));

    assertThatThrownBy(() -> mappedDns.check(FIELD, "https://sneaky.example.com/c.png"))
        .isInstanceOf(UnsafeUrlException.class)
        .hasMessage(FIELD + " resolves to a private address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"metadata.google.internal", "METADATA.google.internal.", "metadata"})
  void refusesCloudMetadataHostNamesWhateverTheyResolveTo(String host) {
    assertRefused("https://" + host + "/computeMetadata/v1/", "is a cloud metadata address");
  }

  @Test
  void refusesAHostThatDoesNotResolveAsRetryable() {
    assertThatThrownBy(() -> policy.check(FIELD, "https://no-such-host.example.com/c.png"))
        .isInstanceOfSatisfying(UnsafeUrlException.class, e -> {
          assertThat(e.reason()).isEqualTo("does not resolve");
          assertThat(e.retryable()).isTrue();
        });
  }

  @Test
  void anAllowListedHostNameMayResolveToAPrivateAddress() {
    UrlPolicy allowing = new UrlPolicy(new NetSettings(true, List.of("MinIO.internal"), 5000, 15000), dns);

    assertThat(allowing.check(FIELD, "https://minio.internal/bucket/c.png")).isNotNull();
    assertThatThrownBy(() -> allowing.check(FIELD, "https://intranet.example.com/c.png"))
        .isInstanceOf(UnsafeUrlException.class);
  }

  @Test
  void anAllowListedRangeAdmitsOnlyAddressesInsideIt() {
    UrlPolicy allowing = new UrlPolicy(new NetSettings(true, List.of("10.20.0.0/16", "::1"), 5000, 15000), dns);

    assertThat(allowing.check(FIELD, "https://build.internal/c.png")).isNotNull();
    assertThat(allowing.check(FIELD, "https://10.20.255.1/c.png")).isNotNull();
    assertThat(allowing.check(FIELD, "https://[::1]/c.png")).isNotNull();
    assertThatThrownBy(() -> allowing.check(FIELD, "https://other.internal/c.png"))
        .isInstanceOf(UnsafeUrlException.class);
    assertThatThrownBy(() -> allowing.check(FIELD, "https://127.0.0.1/c.png"))
        .isInstanceOf(UnsafeUrlException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://user:secret@images.example.com/c.png", "https://user@images.example.com/c.png",
      "https://images.example.com@10.0.0.5/c.png"})
  void refusesUserInfo(String url) {
    assertRefused(url, "has user info");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "not a url", "images.example.com/c.png", "/c.png", "//images.example.com/c.png",
      "ftp://images.example.com/c.png", "file:///etc/passwd", "javascript:alert(1)", "data:image/png;base64,AAAA",
      "https://", "https:///c.png", "https://images.example.com:0/c.png", "https://images.example.com:99999/c.png",
      "https://exa mple.com/c.png", "https://images.example.com/c.png\nHost: evil"})
  void refusesWhatIsNotAnAbsoluteHttpUrl(String url) {
    assertRefused(url, "is not an absolute http(s) URL");
  }

  @Test
  void refusesUrlsLongerThan2048Characters() {
    String prefix = "https://images.example.com/";
    assertThat(policy.check(FIELD, prefix + "a".repeat(UrlPolicy.MAX_LENGTH - prefix.length()))).isNotNull();
    assertRefused(prefix + "a".repeat(UrlPolicy.MAX_LENGTH - prefix.length() + 1), "is longer than 2048 characters");
  }

  @Test
  void aRefusalNamesTheFieldForTheApiError() {
    assertThatThrownBy(() -> policy.check("callback_url", "http://images.example.com/hook"))
        .isInstanceOfSatisfying(UnsafeUrlException.class, e -> {
          assertThat(e.field()).isEqualTo("callback_url");
          assertThat(e.reason()).isEqualTo("must use https");
          assertThat(e.getMessage()).isEqualTo("callback_url must use https");
          assertThat(e.retryable()).isFalse();
        });
  }

  private void assertRefused(String url, String reason) {
    assertThatThrownBy(() -> policy.check(FIELD, url))
        .isInstanceOfSatisfying(UnsafeUrlException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
