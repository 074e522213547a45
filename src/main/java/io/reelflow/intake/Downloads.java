package io.reelflow.intake;

import io.reelflow.storage.StorageSettings;
import io.reelflow.video.Versions;
import io.reelflow.video.Video;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Downloads of a finished video, any of its versions: a presigned, expiring object-storage link
 * (the default), or the bytes streamed through Reelflow with single-range {@code Range} support.
 */
@Component("downloads")
public class Downloads {

  private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

  /** The object behind a download. */
  public record Target(String key, String contentType, long bytes, String fileName) {}

  /** An inclusive byte range of a {@code 206} answer. */
  public record Range(long start, long end, long total) {
    public long length() {
      return end - start + 1;
    }

    public String contentRange() {
      return "bytes " + start + "-" + end + "/" + total;
    }
  }

  private final VideoViews views;
  private final Versions versions;
  private final S3Presigner presigner;
  private final StorageSettings storage;
  private final ApiSettings settings;

  Downloads(VideoViews views, Versions versions, S3Presigner presigner, StorageSettings storage,
      ApiSettings settings) {
    this.views = views;
    this.versions = versions;
    this.presigner = presigner;
    this.storage = storage;
    this.settings = settings;
  }

  /**
   * The object of {@code variant} ({@code video}, the default, or {@code thumbnail}) of
   * {@code version} (the current one by default; while an edit runs, the current one is the
   * version before it).
   *
   * @throws ApiException 404 for an unknown or foreign id or a version never made, 409
   *     {@code not_ready} before the first version (and after the video expired), 410
   *     {@code version_expired} for a version retention removed, 400 for an unknown variant or
   *     a version that is not a number
   */
  public Target target(@ExchangeProperty("caller") Caller caller, @Header("id") String id,
      @Header("variant") String variant, @Header("version") String version) {
    Video video = views.owned(caller, id);
    String kind = variant == null || variant.isBlank() ? "video" : variant;
    if (!kind.equals("video") && !kind.equals("thumbnail")) {
      throw ApiException.invalid("variant", "must be one of video, thumbnail");
    }
    int number = version == null || version.isBlank() ? video.version() : number(version);
    if (!video.hasVersion()) {
      throw ApiException.conflict("not_ready", "video " + video.id() + " is " + video.status().dbName()
          + "; content exists once it has succeeded");
    }
    Versions.Version found = versions.find(video.id(), number).orElseThrow(() -> new ApiException(404, "not_found",
        "Not found", "video " + video.id() + " has no version " + number + " (its current version is "
        + video.version() + ")", List.of()));
    if (found.retired() != null) {
      throw new ApiException(410, "version_expired", "Gone", "version " + number + " of video " + video.id()
          + " was removed by retention on " + found.retired(), List.of());
    }
    String suffix = number == video.version() ? "" : "-v" + number;
    if (kind.equals("video")) {
      return new Target(found.files().finalKey(), "video/mp4", found.files().finalBytes(),
          video.id() + suffix + ".mp4");
    }
    if (found.files().thumbnailKey() == null) {
      throw new ApiException(404, "not_found", "Not found", "video " + video.id() + " has no thumbnail", List.of());
    }
    return new Target(found.files().thumbnailKey(), "image/jpeg", found.files().thumbnailBytes(),
        video.id() + suffix + ".jpg");
  }

  private static int number(String version) {
    try {
      int n = Integer.parseInt(version.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid("version", "must be a version number, from 1");
  }

  /** A GET link to the object that expires after {@code reelflow.api.content-link-ttl}. */
  public String presign(@ExchangeProperty("download") Target target) {
    return presigner.presignGetObject(p -> p
            .signatureDuration(settings.contentLinkTtl())
            .getObjectRequest(g -> g.bucket(storage.bucket()).key(target.key())
                .responseContentType(target.contentType())
                .responseContentDisposition("inline; filename=\"" + target.fileName() + "\"")))
        .url()
        .toString();
  }

  /**
   * The single byte range a {@code Range} header asks for, or null for the whole object (no
   * header, or several ranges, which RFC 9110 lets a server answer in full).
   *
   * @throws ApiException 416 {@code range_not_satisfiable} for a range outside the object
   */
  public Range range(@Header("Range") String header, @ExchangeProperty("download") Target target) {
    if (header == null || header.contains(",")) {
      return null;
    }
    Matcher m = RANGE.matcher(header.strip());
    long total = target.bytes();
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    long start;
    long end;
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        start = Math.max(0, total - suffix);
        end = total - 1;
        if (suffix == 0) {
          throw unsatisfiable(total);
        }
      } else {
        start = Long.parseLong(m.group(1));
        end = m.group(2).isEmpty() ? total - 1 : Math.min(Long.parseLong(m.group(2)), total - 1);
      }
    } catch (NumberFormatException e) {
      throw unsatisfiable(total);
    }
    if (start >= total || start > end) {
      throw unsatisfiable(total);
    }
    return new Range(start, end, total);
  }

  private static ApiException unsatisfiable(long total) {
    return new ApiException(416, "range_not_satisfiable", "Range not satisfiable",
        "the video has " + total + " bytes", List.of())
        .withHeaders(Map.of("Content-Range", "bytes */" + total));
  }
}
