package io.reelflow.planning;

import io.reelflow.net.GuardedHttpClient;
import io.reelflow.net.UnsafeUrlException;
import io.reelflow.net.UrlPolicy;
import io.reelflow.video.ImageType;
import io.reelflow.video.PermanentStageException;
import io.reelflow.video.TransientStageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Downloads a user's reference image through the {@link GuardedHttpClient}: at most {@code
 * maxBytes} (refused from the Content-Length before reading, or as soon as one byte more
 * arrives), within {@code deadline}, and only a PNG, JPEG or WebP as its first bytes say; the
 * Content-Type header is not trusted. Failures are stage failures: {@code reference_image_unsafe}
 * and {@code reference_image_invalid} are permanent; a 5xx, 408, 429, timeout or connection
 * failure is transient ({@code reference_image_unavailable}).
 */
final class ImageDownload {

  static final String UNSAFE = "reference_image_unsafe";
  static final String INVALID = "reference_image_invalid";
  static final String UNAVAILABLE = "reference_image_unavailable";
  private static final String FIELD = "reference_image_url";

  /** An image as downloaded, with the type its bytes show. */
  record Image(byte[] bytes, ImageType type) {}

  private final UrlPolicy policy;
  private final GuardedHttpClient http;
  private final long maxBytes;
  private final Duration deadline;

  ImageDownload(UrlPolicy policy, GuardedHttpClient http, long maxBytes, Duration deadline) {
    this.policy = policy;
    this.http = http;
    this.maxBytes = maxBytes;
    this.deadline = deadline;
  }

  /**
   * Downloads the image at {@code url}. Safe to call again: nothing is kept between calls.
   *
   * @throws PermanentStageException {@code reference_image_unsafe} or {@code reference_image_invalid}
   * @throws TransientStageException {@code reference_image_unavailable}
   */
  Image fetch(String url) {
    try {
      URI uri = policy.check(FIELD, url);
      HttpGet get = new HttpGet(uri);
      try (ClassicHttpResponse response = http.executeOpen(null, get, null)) {
        return read(get, response);
      }
    } catch (UnsafeUrlException e) {
      if (e.retryable()) {
        throw new TransientStageException(UNAVAILABLE, "reference image host " + e.reason(), e);
      }
      throw new PermanentStageException(UNSAFE, e.getMessage(), e);
    } catch (ClientProtocolException e) {
      throw new PermanentStageException(INVALID, "reference image: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TransientStageException(UNAVAILABLE, "reference image download failed: " + e, e);
    }
  }

  private Image read(HttpGet get, ClassicHttpResponse response) throws IOException {
    int status = response.getCode();
    if (status != 200) {
      get.cancel();
      if (status >= 500 || status == 408 || status == 429) {
        throw new TransientStageException(UNAVAILABLE, "reference image answered " + status, null);
      }
      throw new PermanentStageException(INVALID, "reference image answered " + status);
    }
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      throw new PermanentStageException(INVALID, "reference image is empty");
    }
    if (entity.getContentLength() > maxBytes) {
      get.cancel();
      throw tooLarge();
    }
    byte[] bytes = readCapped(get, entity.getContent());
    ImageType type = ImageType.sniff(bytes)
        .orElseThrow(() -> new PermanentStageException(INVALID, "reference image is not a PNG, JPEG or WebP image"));
    return new Image(bytes, type);
  }

  /** Reads at most {@code maxBytes}; one more, or the deadline passing, cancels the request. */
  private byte[] readCapped(HttpGet get, InputStream in) throws IOException {
    long stopAt = System.nanoTime() + deadline.toNanos();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    for (int n; (n = in.read(buffer)) != -1; ) {
      if (out.size() + (long) n > maxBytes) {
        get.cancel();
        throw tooLarge();
      }
      out.write(buffer, 0, n);
      if (System.nanoTime() > stopAt) {
        get.cancel();
        throw new TransientStageException(UNAVAILABLE,
            "reference image took longer than " + deadline.toSeconds() + " s to download", null);
      }
    }
    return out.toByteArray();
  }

  private PermanentStageException tooLarge() {
    return new PermanentStageException(INVALID, "reference image is larger than " + describe(maxBytes));
  }

  private static String describe(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
  }
}
