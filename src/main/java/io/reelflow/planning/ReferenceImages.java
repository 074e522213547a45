package io.reelflow.planning;

import io.reelflow.net.GuardedHttpClient;
import io.reelflow.net.UrlPolicy;
import io.reelflow.storage.MediaStore;
import io.reelflow.video.Assets;
import io.reelflow.video.Assets.Asset;
import io.reelflow.video.PermanentStageException;
import io.reelflow.video.TransientStageException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * A video's reference image: downloaded from the user's URL through the guarded client (at most
 * {@value #MAX_BYTES} bytes, PNG, JPEG or WebP by its bytes), stored under {@code
 * videos/<videoId>/reference.<ext>} and recorded as the video's {@code reference} asset.
 *
 * <p>Idempotent per video: a retry downloads again, overwrites the object and replaces the asset
 * row. Thread-safe.
 */
@Component("referenceImages")
public class ReferenceImages {

  /** Largest reference image accepted: 10 MiB. */
  public static final long MAX_BYTES = 10L * 1024 * 1024;
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final String ASSET_TYPE = "reference";

  /** A stored reference image. */
  public record StoredReference(String key, String contentType, long bytes) {}

  private final ImageDownload download;
  private final MediaStore media;
  private final Assets assets;

  @Autowired
  ReferenceImages(UrlPolicy policy, GuardedHttpClient http, MediaStore media, Assets assets) {
    this(new ImageDownload(policy, http, MAX_BYTES, DEADLINE), media, assets);
  }

  ReferenceImages(ImageDownload download, MediaStore media, Assets assets) {
    this.download = download;
    this.media = media;
    this.assets = assets;
  }

  /**
   * Downloads, stores and records the reference image of {@code videoId}.
   *
   * @throws PermanentStageException {@code reference_image_unsafe} when the URL or a redirect
   *     points at a refused address; {@code reference_image_invalid} when the image is too large,
   *     not PNG/JPEG/WebP, or the server answered 4xx
   * @throws TransientStageException {@code reference_image_unavailable} for a 5xx, 408, 429,
   *     timeout or connection failure (an object storage failure propagates as is, and is retried)
   */
  public StoredReference fetch(UUID videoId, String url) {
    ImageDownload.Image image = download.fetch(url);
    String key = "videos/" + videoId + "/reference." + image.type().extension();
    String contentType = image.type().contentType();
    media.upload(key, image.bytes(), contentType);
    assets.record(new Asset(videoId, null, ASSET_TYPE, key, contentType, image.bytes().length, null, null, null));
    return new StoredReference(key, contentType, image.bytes().length);
  }
}
