package io.reelflow.intake;

import io.reelflow.intake.ApiModel.VersionDocument;
import io.reelflow.intake.ApiModel.VersionLinks;
import io.reelflow.intake.ApiModel.VersionPage;
import io.reelflow.video.Json;
import io.reelflow.video.Versions;
import io.reelflow.video.Video;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** {@code GET /v1/videos/{id}/versions}: every composition of the caller's video, oldest first. */
@Component("versionViews")
public class VersionViews {

  private final VideoViews views;
  private final Versions versions;
  private final Json json;

  VersionViews(VideoViews views, Versions versions, Json json) {
    this.views = views;
    this.versions = versions;
    this.json = json;
  }

  /**
   * The versions of one of the caller's videos; an expired video's versions are listed without
   * links.
   *
   * @throws ApiException 404 for an unknown or foreign id
   */
  public VersionPage list(@ExchangeProperty("caller") Caller caller, @Header("id") String id) {
    Video video = views.owned(caller, id);
    String content = VideoViews.self(video.id()) + "/content?version=";
    List<VersionDocument> documents = versions.of(video.id()).stream().map(v -> {
      boolean available = v.retired() == null && video.hasVersion();
      return new VersionDocument(v.number(), v.createdAt(),
          v.files().durationMs() == null ? null : v.files().durationMs() / 1000.0, changes(v),
          v.number() == video.version(), available, !available ? null : new VersionLinks(content + v.number(),
              v.files().thumbnailKey() == null ? null : content + v.number() + "&variant=thumbnail"));
    }).toList();
    return new VersionPage(video.id(), video.version(), documents);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> changes(Versions.Version version) {
    return json.read(version.changes(), List.class);
  }
}
