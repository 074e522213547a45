package io.reelflow.intake;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.reelflow.video.VideoOptions;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The documents of the public API, as sent. The REST DSL names these types, so the OpenAPI
 * document at {@code /v1/openapi.json} is generated from the same classes the answers are
 * written from.
 */
public final class ApiModel {

  private ApiModel() {}

  /** Body of {@code POST /v1/videos}; unknown fields are refused. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, requiredProperties = {"prompt"})
  public record VideoSubmission(
      @Schema(minLength = 1, maxLength = 2000, example = "Create a 30-sec ad for a coffee brand") String prompt,
      @Schema(minimum = "5", maximum = "120", defaultValue = "15",
          description = "capped by tier: free 60 s; with scenes and no duration, the scenes' total") Integer durationSeconds,
      @Schema(allowableValues = {"16:9", "9:16", "1:1"}, defaultValue = "16:9") String aspectRatio,
      @Schema(allowableValues = {"480p", "720p", "1080p"}, defaultValue = "720p",
          description = "capped by tier: free 720p") String resolution,
      @Schema(allowableValues = {"ad", "explainer", "story", "music_video"}, defaultValue = "ad") String mode,
      @Schema(maxLength = 40) String tone,
      @Schema(maxLength = 80, description = "a director style name") String style,
      @Schema(maxLength = 64, pattern = "^[A-Za-z0-9_.+-]+$") String voice,
      @Schema(defaultValue = "true") Boolean music,
      @Schema(defaultValue = "true") Boolean captions,
      @Schema(maxLength = 2048, format = "uri", description = "https; no private addresses") String referenceImageUrl,
      @Schema(maxLength = 2048, format = "uri", description = "https; no private addresses") String callbackUrl,
      @JsonProperty("notify") NotifyTargets notifyTargets,
      @Schema(allowableValues = {"auto", "off"}, defaultValue = "auto") String cache,
      @ArraySchema(maxItems = 40, arraySchema = @Schema(description = "your own shot list instead of planning: 3-8 s scenes adding up to the"
          + " duration, at most the tier's max-scenes (free 12, pro 24, enterprise 40); moderated like the prompt"))
          List<ShotItem> scenes) {}

  /** One scene of a user's shot list. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
      requiredProperties = {"visual_prompt", "audio_script", "duration_seconds"})
  public record ShotItem(
      @Schema(maxLength = 60, description = "text on screen; default: the first words of audio_script") String headline,
      @Schema(minLength = 10, maxLength = 600) String visualPrompt,
      @Schema(minLength = 1, maxLength = 600, description = "fits the scene at about 2.5 words a second") String audioScript,
      @Schema(minimum = "3", maximum = "8") Double durationSeconds) {}

  /** Where to notify the user besides the callback. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record NotifyTargets(String email, String pushToken) {}

  /** The 202 answer to a submission. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VideoAccepted(UUID id, String status, OffsetDateTime createdAt, Links links) {}

  /**
   * Links a client follows; absent when not applicable yet. {@code content} and {@code thumbnail}
   * are the current version's, also while an edit makes the next one.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Links(String self, String events, String content, String thumbnail, String cancel, String versions) {}

  /** {@code GET /v1/videos/{id}}; {@code version} is the current version (0 before the first composition). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VideoDocument(
      UUID id, String status, String stage, int progress, Integer queuePosition, int version, String prompt,
      VideoOptions options, List<SceneDocument> scenes, List<AssetDocument> assets, ErrorDocument error,
      UUID cachedFrom, BigDecimal costEstimate, OffsetDateTime createdAt, OffsetDateTime updatedAt,
      OffsetDateTime completedAt, Links links) {}

  /**
   * One scene of a video, in display order. {@code sequence} is its place in the plan (never
   * changes); {@code durationSeconds} its planned length; the final video shows it from
   * {@code trimInSeconds} to {@code trimOutSeconds} (0 and its length when untrimmed).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record SceneDocument(
      UUID id, int sequence, int displayOrder, String status, int retryCount, String headline, String visualPrompt,
      String audioScript, double durationSeconds, double trimInSeconds, double trimOutSeconds, String provider,
      ErrorDocument error, List<AssetDocument> assets) {}

  /** Body of {@code PATCH /v1/videos/{id}/scenes/{sequence}}: any of these; unknown fields are refused. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, minProperties = 1)
  public record SceneEdit(
      @Schema(minLength = 1, maxLength = 60, description = "text on screen; regenerates the scene's visual") String headline,
      @Schema(minLength = 10, maxLength = 600, description = "regenerates the scene's visual") String visualPrompt,
      @Schema(minLength = 1, maxLength = 600, description = "fits the scene at about 2.5 words a second;"
          + " regenerates the scene's voice-over") String audioScript,
      @Schema(minimum = "0", nullable = true, description = "where the scene starts in its clip, on a whole frame;"
          + " null: its start. Only recomposes") Double trimInSeconds,
      @Schema(minimum = "0", nullable = true, description = "where it ends, at most its length, at least 1 s after"
          + " trim_in_seconds; null: its end. Only recomposes") Double trimOutSeconds) {}

  /** Body of {@code PUT /v1/videos/{id}/scenes/order}. */
  @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, requiredProperties = {"order"})
  public record SceneOrder(
      @ArraySchema(arraySchema = @Schema(description = "every scene's sequence number once, in the order to show"))
          List<Integer> order) {}

  /** The 202 answer to an edit: the video runs again and will become {@code nextVersion}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EditAccepted(UUID id, String status, int version, int nextVersion,
      List<SceneRegeneration> regenerating, Links links) {}

  /** A scene made again by an edit, and which of its media ({@code visual}, {@code speech}). */
  public record SceneRegeneration(int sequence, List<String> capabilities) {}

  /** {@code GET /v1/videos/{id}/versions}: every version, oldest first. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VersionPage(UUID id, int currentVersion, List<VersionDocument> versions) {}

  /**
   * One version of the final video. {@code changes} says what changed since the version before
   * ({@code action}: created, cached, edit with {@code scene} and {@code fields}, regenerate with
   * {@code scene}, reorder with {@code order}); {@code available} is false once retention removed
   * its media (then it has no links).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VersionDocument(int version, OffsetDateTime createdAt, Double durationSeconds,
      List<Map<String, Object>> changes, boolean current, boolean available, VersionLinks links) {}

  /** Downloads of one version. */
  public record VersionLinks(String content, String thumbnail) {}

  /** A stored media object of a video or scene. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AssetDocument(String type, String contentType, long bytes, Integer durationMs, String provider) {}

  /** Why a video or scene failed; {@code retryable}: submitting again may succeed. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ErrorDocument(String code, String message, String stage, Boolean retryable, Integer scene,
      String provider, @JsonProperty("provider_code") String providerCode) {

    public ErrorDocument(String code, String message, String stage, Boolean retryable) {
      this(code, message, stage, retryable, null, null, null);
    }
  }

  /** A page of {@code GET /v1/videos}, newest first; {@code nextCursor} is null on the last page. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VideoPage(List<VideoSummary> data, String nextCursor) {}

  /** A video in a list. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VideoSummary(
      UUID id, String status, String prompt, VideoOptions options, OffsetDateTime createdAt,
      OffsetDateTime completedAt, Links links) {}

  /** RFC 9457 problem details with a stable {@code code}; {@code errors} lists offending fields. */
  public record Problem(String type, String title, int status, String detail, String code,
      List<Map<String, String>> errors) {}

  /** What {@code POST /v1/videos/{id}/cancel} left behind. */
  public record Canceled(UUID id, String status) {}

  /** What {@code POST /v1/videos/{id}/scenes/{sequence}/retry} queued again. */
  public record SceneRetry(UUID id, String status, @JsonProperty("retried_scenes") List<Integer> retriedScenes) {}
}
