package io.reelflow.intake;

import io.reelflow.intake.ApiModel.AssetDocument;
import io.reelflow.intake.ApiModel.ErrorDocument;
import io.reelflow.intake.ApiModel.Links;
import io.reelflow.intake.ApiModel.SceneDocument;
import io.reelflow.intake.ApiModel.VideoAccepted;
import io.reelflow.intake.ApiModel.VideoDocument;
import io.reelflow.video.Json;
import io.reelflow.video.Video;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * What the API shows of a video. A caller only ever sees its own videos; another user's id is
 * 404, exactly like an id that never existed.
 */
@Component("videoViews")
public class VideoViews {

  private final Videos videos;
  private final QueuePositions queuePositions;
  private final Json json;

  VideoViews(Videos videos, QueuePositions queuePositions, Json json) {
    this.videos = videos;
    this.queuePositions = queuePositions;
    this.json = json;
  }

  static String self(UUID id) {
    return "/v1/videos/" + id;
  }

  /** The 202 body of a submission. */
  static VideoAccepted accepted(Video video) {
    return new VideoAccepted(video.id(), video.status().dbName(), video.createdAt(), links(video));
  }

  static Links links(Video video) {
    return links(video.id(), video.status(), video.thumbnailKey() != null, video.version());
  }

  /**
   * The links of a video: its content once a version exists (the current one, also while an edit
   * runs), until retention expires it.
   */
  static Links links(UUID id, VideoStatus status, boolean thumbnail, int version) {
    String self = self(id);
    boolean done = version > 0 && status != VideoStatus.EXPIRED;
    return new Links(self, self + "/events", done ? self + "/content" : null,
        done && thumbnail ? self + "/content?variant=thumbnail" : null,
        status.isTerminal() ? null : self + "/cancel", version > 0 ? self + "/versions" : null);
  }

  /** The caller's video, or 404 for an unknown, malformed or foreign id. */
  public Video owned(@ExchangeProperty("caller") Caller caller, @Header("id") String id) {
    return uuid(id).flatMap(uuid -> videos.findOwned(uuid, caller.userId())).orElseThrow(() -> ApiException.notFound(id));
  }

  private static Optional<UUID> uuid(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  /**
   * Status, stage, progress, scenes with their assets, error and links of one of the caller's
   * videos, from one statement ({@link Videos#snapshot}); while it is queued, its queue position
   * ({@link QueuePositions}).
   */
  @SuppressWarnings("unchecked")
  public VideoDocument status(@ExchangeProperty("caller") Caller caller, @Header("id") String id) {
    Videos.Snapshot snapshot = uuid(id).flatMap(uuid -> videos.snapshot(uuid, caller.userId()))
        .orElseThrow(() -> ApiException.notFound(id));
    Video video = snapshot.video();
    List<Map<String, Object>> sceneRows = json.read(snapshot.scenesJson(), List.class);
    List<Map<String, Object>> assetRows = json.read(snapshot.assetsJson(), List.class);
    List<SceneDocument> sceneDocs = sceneRows.stream().map(s -> scene(s, assetRows)).toList();
    List<AssetDocument> videoAssets = assetRows.stream().filter(a -> a.get("scene_id") == null).map(VideoViews::asset).toList();
    ErrorDocument error = video.errorCode() == null ? null
        : video.errorOrigin() == null
            ? new ErrorDocument(video.errorCode(), video.errorMessage(), video.errorStage(), video.errorRetryable())
            : new ErrorDocument(video.errorCode(), video.errorMessage(), video.errorStage(), video.errorRetryable(),
                video.errorOrigin().scene(), video.errorOrigin().provider(), video.errorOrigin().providerCode());
    Integer queuePosition = video.status() == VideoStatus.QUEUED ? queuePositions.of(video) : null;
    return new VideoDocument(video.id(), video.status().dbName(), stage(video), progress(video, sceneRows),
        queuePosition, video.version(), video.prompt(), video.options(), sceneDocs, videoAssets, error, video.cachedFrom(),
        video.costEstimate(), video.createdAt(), video.updatedAt(), video.completedAt(), links(video));
  }

  /** The stage a video is in, or ended in: intake, planning, generation, composition or done. */
  static String stage(Video video) {
    return switch (video.status()) {
      case QUEUED -> "intake";
      case PLANNING -> "planning";
      case GENERATING -> "generation";
      case COMPOSING -> "composition";
      case FAILED -> video.errorStage() != null ? video.errorStage() : "done";
      case SUCCEEDED, CANCELED, EXPIRED -> "done";
    };
  }

  private static SceneDocument scene(Map<String, Object> s, List<Map<String, Object>> assetRows) {
    ErrorDocument error = s.get("error_code") == null ? null
        : new ErrorDocument((String) s.get("error_code"), (String) s.get("error_message"), "generation", null);
    List<AssetDocument> own = assetRows.stream().filter(a -> Objects.equals(a.get("scene_id"), s.get("id")))
        .map(VideoViews::asset).toList();
    int duration = number(s, "duration_ms");
    return new SceneDocument(UUID.fromString((String) s.get("id")), number(s, "sequence_number"),
        number(s, "display_order"), (String) s.get("status"), number(s, "retry_count"), (String) s.get("headline"),
        (String) s.get("visual_prompt"), (String) s.get("audio_script"), duration / 1000.0,
        s.get("trim_in_ms") == null ? 0 : number(s, "trim_in_ms") / 1000.0,
        (s.get("trim_out_ms") == null ? duration : number(s, "trim_out_ms")) / 1000.0, (String) s.get("provider"),
        error, own);
  }

  private static AssetDocument asset(Map<String, Object> a) {
    return new AssetDocument((String) a.get("asset_type"), (String) a.get("content_type"),
        ((Number) a.get("bytes")).longValue(), a.get("duration_ms") == null ? null : number(a, "duration_ms"),
        (String) a.get("provider"));
  }

  private static int number(Map<String, Object> row, String key) {
    return ((Number) row.get(key)).intValue();
  }

  /**
   * Progress 0–100, derived from the state and the finished scenes rather than stored: planning
   * 5, scenes 10–85 in proportion, composing 90, success 100. A video that ended otherwise keeps
   * the share its scenes reached.
   */
  static int progress(Video video, List<Map<String, Object>> sceneRows) {
    long done = sceneRows.stream().filter(s -> "succeeded".equals(s.get("status"))).count();
    return progress(video.status(), sceneRows.size(), (int) done);
  }

  static int progress(VideoStatus status, int sceneCount, int scenesDone) {
    int sceneShare = sceneCount == 0 ? 0 : 10 + 75 * scenesDone / sceneCount;
    return switch (status) {
      case QUEUED -> 0;
      case PLANNING -> 5;
      case GENERATING -> Math.max(10, sceneShare);
      case COMPOSING -> 90;
      case SUCCEEDED -> 100;
      case FAILED, CANCELED, EXPIRED -> sceneShare;
    };
  }
}
