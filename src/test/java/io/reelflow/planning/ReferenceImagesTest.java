package io.reelflow.planning;

import static io.reelflow.net.LocalServer.answer;
import static io.reelflow.net.LocalServer.chunked;
import static io.reelflow.net.LocalServer.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.reelflow.net.GuardedHttpClient;
import io.reelflow.net.HostResolver;
import io.reelflow.net.LocalServer;
import io.reelflow.net.NetSettings;
import io.reelflow.net.UrlPolicy;
import io.reelflow.planning.ImageDownload.Image;
import io.reelflow.video.ImageType;
import io.reelflow.planning.ReferenceImages.StoredReference;
import io.reelflow.storage.MediaStore;
import io.reelflow.storage.StorageSettings;
import io.reelflow.video.Assets;
import io.reelflow.video.Assets.Asset;
import io.reelflow.video.PermanentStageException;
import io.reelflow.video.TransientStageException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

class ReferenceImagesTest {

  private static final long TEN_MIB = ReferenceImages.MAX_BYTES;
  private static final byte[] PNG = image(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
  private static final byte[] JPEG = image(0xff, 0xd8, 0xff, 0xe0);
  private static final byte[] WEBP = image('R', 'I', 'F', 'F', 0x24, 0, 0, 0, 'W', 'E', 'B', 'P');

  private final LocalServer server = new LocalServer();
  private final UrlPolicy policy =
      new UrlPolicy(new NetSettings(false, List.of("127.0.0.1"), 2000, 1000), HostResolver.system());
  private final GuardedHttpClient http = new GuardedHttpClient(policy);
  private final ImageDownload download = new ImageDownload(policy, http, TEN_MIB, Duration.ofSeconds(30));

  ReferenceImagesTest() throws IOException {}

  @AfterEach
  void stop() throws IOException {
    server.close();
    http.close();
  }

  @Test
  void storesThePngUnderTheVideoAndRecordsItAsItsReference() {
    server.on("/cat.png", answer(200, "image/png", PNG));
    RecordingS3 s3 = new RecordingS3();
    MediaStore media = new MediaStore(s3, new StorageSettings("http://s3.test", "reelflow", "us-east-1", "k", "s", 0, "", ""));
    Assets assets = mock(Assets.class);
    UUID videoId = UUID.randomUUID();

    StoredReference stored = new ReferenceImages(download, media, assets).fetch(videoId, server.url("/cat.png"));

    String key = "videos/" + videoId + "/reference.png";
    assertThat(stored).isEqualTo(new StoredReference(key, "image/png", PNG.length));
    assertThat(s3.request.bucket()).isEqualTo("reelflow");
    assertThat(s3.request.key()).isEqualTo(key);
    assertThat(s3.request.contentType()).isEqualTo("image/png");
    assertThat(s3.body).isEqualTo(PNG);
    verify(assets).record(new Asset(videoId, null, "reference", key, "image/png", PNG.length, null, null, null));
  }

  @Test
  void tellsJpegAndWebpByTheirBytesNotByTheirContentType() {
    server.on("/photo", answer(200, "text/plain", JPEG)).on("/sticker", answer(200, "application/octet-stream", WEBP));

    assertThat(download.fetch(server.url("/photo")).type()).isEqualTo(ImageType.JPEG);
    assertThat(download.fetch(server.url("/sticker")).type()).isEqualTo(ImageType.WEBP);
  }

  @Test
  void refusesAnSvgOrGifEvenWhenLabelledAsPng() {
    byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8);
    server.on("/logo.png", answer(200, "image/png", svg)).on("/anim.png", answer(200, "image/png", image('G', 'I', 'F', '8', '9', 'a')));

    assertPermanent("/logo.png", "reference_image_invalid");
    assertPermanent("/anim.png", "reference_image_invalid");
  }

  @Test
  void acceptsAnImageOfExactlyTenMebibytes() {
    server.on("/big.png", chunked("image/png", Arrays.copyOf(PNG, (int) TEN_MIB)));

    Image image = download.fetch(server.url("/big.png"));

    assertThat(image.bytes()).hasSize((int) TEN_MIB);
  }

  @Test
  void refusesADeclaredContentLengthOverTenMebibytesWithoutReadingTheBody() {
    server.on("/huge.png", exchange -> {
      exchange.sendResponseHeaders(200, TEN_MIB + 1);
      exchange.getResponseBody().write(PNG);
      exchange.getResponseBody().flush();
      server.hold();
    });

    assertPermanent("/huge.png", "reference_image_invalid");
  }

  @Test
  void abortsAStreamAsSoonAsItPassesTenMebibytes() {
    server.on("/endless.png", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(Arrays.copyOf(PNG, (int) TEN_MIB + 1));
      out.flush();
      server.hold();
    });

    assertThatThrownBy(() -> download.fetch(server.url("/endless.png")))
        .isInstanceOfSatisfying(PermanentStageException.class, e -> {
          assertThat(e.code()).isEqualTo("reference_image_invalid");
          assertThat(e).hasMessageContaining("larger than 10 MiB");
        });
  }

  @Test
  void aClientErrorIsPermanentAndAServerErrorTransient() {
    server.on("/gone.png", answer(404, "text/plain", new byte[0]))
        .on("/busy.png", answer(503, "text/plain", new byte[0]))
        .on("/slow-down.png", answer(429, "text/plain", new byte[0]));

    assertPermanent("/gone.png", "reference_image_invalid");
    assertTransient("/busy.png");
    assertTransient("/slow-down.png");
  }

  @Test
  void aServerThatStopsAnsweringIsTransient() {
    server.on("/stuck.png", exchange -> server.hold());

    assertTransient("/stuck.png");
  }

  @Test
  void aDownloadThatDripsPastItsDeadlineIsTransient() {
    server.on("/drip.png", server.trickle(PNG, Duration.ofMillis(20)));
    ImageDownload hurried = new ImageDownload(policy, http, TEN_MIB, Duration.ofMillis(300));

    assertThatThrownBy(() -> hurried.fetch(server.url("/drip.png")))
        .isInstanceOfSatisfying(TransientStageException.class, e -> {
          assertThat(e.code()).isEqualTo("reference_image_unavailable");
          assertThat(e).hasMessageContaining("took longer than");
        });
  }

  @Test
  void followsARedirectToTheImage() {
    server.on("/cat.png", answer(200, "image/png", PNG)).on("/short", redirect(server.url("/cat.png")));

    assertThat(download.fetch(server.url("/short")).type()).isEqualTo(ImageType.PNG);
  }

  @Test
  void aPrivateAddressOrARedirectToOneIsUnsafe() {
    server.on("/cat.png", answer(200, "image/png", PNG))
        .on("/steal", redirect("http://169.254.169.254/latest/meta-data/iam/"));
    UrlPolicy strict = new UrlPolicy(new NetSettings(false, List.of(), 2000, 1000), HostResolver.system());
    ImageDownload strictDownload = new ImageDownload(strict, new GuardedHttpClient(strict), TEN_MIB, Duration.ofSeconds(30));

    assertThatThrownBy(() -> strictDownload.fetch(server.url("/cat.png")))
        .isInstanceOfSatisfying(PermanentStageException.class, e -> assertThat(e.code()).isEqualTo("reference_image_unsafe"));
    assertThat(server.hits()).isZero();
    assertPermanent("/steal", "reference_image_unsafe");
  }

  @Test
  void aPlainHttpUrlIsUnsafeWhenHttpsIsRequired() {
    UrlPolicy https = new UrlPolicy(new NetSettings(true, List.of("127.0.0.1"), 2000, 1000), HostResolver.system());
    ImageDownload httpsOnly = new ImageDownload(https, http, TEN_MIB, Duration.ofSeconds(30));

    assertThatThrownBy(() -> httpsOnly.fetch(server.url("/cat.png")))
        .isInstanceOfSatisfying(PermanentStageException.class, e -> {
          assertThat(e.code()).isEqualTo("reference_image_unsafe");
          assertThat(e).hasMessage("reference_image_url must use https");
        });
  }

  private void assertPermanent(String path, String code) {
    assertThatThrownBy(() -> download.fetch(server.url(path)))
        .isInstanceOfSatisfying(PermanentStageException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private void assertTransient(String path) {
    assertThatThrownBy(() -> download.fetch(server.url(path)))
        .isInstanceOfSatisfying(TransientStageException.class,
            e -> assertThat(e.code()).isEqualTo("reference_image_unavailable"));
  }

  /** A small image body: the signature, then filler. */
  private static byte[] image(int... signature) {
    byte[] bytes = new byte[256];
    for (int i = 0; i < signature.length; i++) {
      bytes[i] = (byte) signature[i];
    }
    return bytes;
  }

  /** Records the one upload instead of talking to object storage. */
  private static final class RecordingS3 implements S3Client {
    PutObjectRequest request;
    byte[] body;

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
      this.request = request;
      try (var in = body.contentStreamProvider().newStream()) {
        this.body = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return PutObjectResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {}
  }
}
