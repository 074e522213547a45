package io.reelflow.intake;

import io.reelflow.video.Assets;
import io.reelflow.video.Scenes;
import io.reelflow.video.Video;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * The beans of {@code routes/intake.camel.yaml}: create a video for a caller and answer what the
 * API shows of it. A caller only ever sees its own videos; another user's id is 404.
 */
@Component("videoViews")
public class VideoViews {

  private final Videos videos;
  private final Scenes scenes;
  private final Assets assets;

  VideoViews(Videos videos, Scenes scenes, Assets assets) {
    this.videos = videos;
    this.scenes = scenes;
    this.assets = assets;
  }

  /** Stores a queued video for the caller; planning picks it up through the outbox. */
  public Video submit(@ExchangeProperty("caller") Caller caller, VideoRequest request) {
    return videos.create(caller.userId(), request.prompt(), promptHash(request), request.options());
  }

  /** The 202 body of a submission. */
  public Map<String, Object> accepted(Video video) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", video.id());
    body.put("status", video.status().dbName());
    body.put("links", Map.of("self", "/v1/videos/" + video.id(), "content", "/v1/videos/" + video.id() + "/content"));
    return body;
  }

  /** Status, progress, scenes and assets of one of the caller's videos. */
  public Map<String, Object> status(@ExchangeProperty("caller") Caller caller, @Header("id") String id) {
    Video video = owned(caller, id);
    List<Map<String, Object>> sceneRows = scenes.of(video.id());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", video.id());
    body.put("status", video.status().dbName());
    body.put("progress", progress(video, sceneRows));
    body.put("prompt", video.prompt());
    body.put("options", video.options());
    body.put("created_at", video.createdAt());
    body.put("updated_at", video.updatedAt());
    body.put("completed_at", video.completedAt());
    if (video.errorCode() != null) {
      body.put("error", Map.of("code", video.errorCode(), "message", String.valueOf(video.errorMessage())));
    }
    body.put("scenes", sceneRows);
    body.put("assets", assets.of(video.id()));
    return body;
  }

  /**
   * Object key of a succeeded video's MP4.
   *
   * @throws ApiException 404 for an unknown or foreign id, 409 {@code not_ready} before success
   */
  public String contentKey(@ExchangeProperty("caller") Caller caller, @Header("id") String id) {
    Video video = owned(caller, id);
    if (video.status() != VideoStatus.SUCCEEDED || video.finalVideoKey() == null) {
      throw new ApiException(409, "not_ready", "Not ready",
          "video " + video.id() + " is " + video.status().dbName() + "; content exists once it has succeeded",
          List.of());
    }
    return video.finalVideoKey();
  }

  /**
   * Progress 0–100, derived from the state and the finished scenes rather than stored: planning
   * 5, scenes 10–85 in proportion, composing 90, success 100. A video that ended otherwise keeps
   * the share its scenes reached.
   */
  static int progress(Video video, List<Map<String, Object>> sceneRows) {
    long done = sceneRows.stream().filter(s -> "succeeded".equals(s.get("status"))).count();
    int sceneShare = sceneRows.isEmpty() ? 0 : 10 + (int) (75 * done / sceneRows.size());
    return switch (video.status()) {
      case QUEUED -> 0;
      case PLANNING -> 5;
      case GENERATING -> Math.max(10, sceneShare);
      case COMPOSING -> 90;
      case SUCCEEDED -> 100;
      case FAILED, CANCELED, EXPIRED -> sceneShare;
    };
  }

  private Video owned(Caller caller, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.notFound(id);
    }
    return videos.findOwned(uuid, caller.userId()).orElseThrow(() -> ApiException.notFound(id));
  }

  static String promptHash(VideoRequest request) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String canonical = request.prompt().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")
          + "|" + request.options();
      return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
