package io.reelflow.intake;

import io.reelflow.generation.ProviderJobs;
import io.reelflow.generation.SceneQueues;
import io.reelflow.intake.ApiModel.EditAccepted;
import io.reelflow.intake.ApiModel.SceneRegeneration;
import io.reelflow.video.SceneQueue;
import io.reelflow.video.Edits;
import io.reelflow.video.Edits.SceneState;
import io.reelflow.video.Video;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The scene edits of a composed video ({@code PATCH /v1/videos/{id}/scenes/{sequence}},
 * {@code POST …/regenerate}, {@code PUT …/scenes/order}): the caller's video, checked and changed
 * under its row lock by {@link Edits}, which moves it back to generating or composing; the next
 * version follows through the usual queues.
 *
 * <p>Why the body is checked again inside the transaction: trim points are relative to what the
 * scene has now, so they are resolved and validated against the locked row, never a stale read.
 */
@Component("sceneEditing")
public class SceneEditing {

  /** A {@code PATCH} as received: whose video, which scene, what to change. */
  public record EditRequest(Video video, int sequence, SceneEditRequests.Patch patch) {

    /** The new texts for moderation; null when only trim points change. */
    public String moderatedText() {
      return patch.moderatedText();
    }
  }

  private final VideoViews views;
  private final VideoRequests requests;
  private final Edits edits;
  private final SceneQueues queues;
  private final ProviderJobs jobs;

  SceneEditing(VideoViews views, VideoRequests requests, Edits edits, SceneQueues queues, ProviderJobs jobs) {
    this.views = views;
    this.requests = requests;
    this.edits = edits;
    this.queues = queues;
    this.jobs = jobs;
  }

  /**
   * Reads a {@code PATCH}, cheapest refusal first.
   *
   * @throws ApiException 404 for another user's video, 409 {@code video_busy} or
   *     {@code not_editable}, 415, 413 or 400 for the body
   */
  public EditRequest read(@ExchangeProperty("caller") Caller caller, @Header("id") String id,
      @Header("sequence") String sequence, @Header("Content-Type") String contentType, @Body InputStream body) {
    Video video = editable(caller, id);
    int n = SceneRetries.sequence(sequence);
    VideoRequests.requireJson(contentType);
    return new EditRequest(video, n, SceneEditRequests.patch(requests.object(requests.read(body))));
  }

  /** Applies a read {@code PATCH}: new texts make that scene's media again, a trim only recomposes. */
  @Transactional
  public EditAccepted edit(@ExchangeProperty("edit") EditRequest request) {
    return under(request.video(), target -> {
      SceneState scene = scene(target, request.sequence());
      SceneState edited = SceneEditRequests.apply(scene, request.patch());
      return edits.change(target, edited, request.patch().fields(), queue(target));
    });
  }

  /** Makes a scene's visual and voice-over again from its current texts, then recomposes. */
  @Transactional
  public EditAccepted regenerate(@ExchangeProperty("caller") Caller caller, @Header("id") String id,
      @Header("sequence") String sequence) {
    Video video = editable(caller, id);
    int n = SceneRetries.sequence(sequence);
    return under(video, target -> edits.regenerate(target, scene(target, n), queue(target)));
  }

  /** Shows the scenes in a new order, then recomposes; nothing is generated again. */
  @Transactional
  public EditAccepted reorder(@ExchangeProperty("caller") Caller caller, @Header("id") String id,
      @Header("Content-Type") String contentType, @Body InputStream body) {
    Video video = editable(caller, id);
    VideoRequests.requireJson(contentType);
    var json = requests.object(requests.read(body));
    return under(video, target -> edits.reorder(target,
        SceneEditRequests.order(json, target.scenes().stream().map(SceneState::sequence).toList()), queue(target)));
  }

  /** Runs {@code edit} under the video's lock; its new provider jobs replace any unfinished ones. */
  private EditAccepted under(Video video, Function<Edits.Target, Edits.Started> edit) {
    Edits.Started started;
    try {
      started = edit.apply(edits.lock(video.id()));
    } catch (Edits.Refused e) {
      throw ApiException.conflict(e.code(), e.getMessage());
    }
    started.regenerating().forEach(r -> jobs.supersede(r.sceneId(), r.capabilities()));
    List<SceneRegeneration> regenerating = started.regenerating().stream()
        .map(r -> new SceneRegeneration(r.sequence(), r.capabilities())).toList();
    return new EditAccepted(video.id(), started.status().dbName(), started.version(), started.nextVersion(),
        regenerating, VideoViews.links(video.id(), started.status(), true, started.version()));
  }

  /** The caller's video, refused early when it cannot be edited now (checked again under the lock). */
  private Video editable(Caller caller, String id) {
    Video video = views.owned(caller, id);
    if (!video.status().isTerminal()) {
      throw ApiException.conflict("video_busy", "video " + video.id() + " is " + video.status().dbName()
          + "; edit it once its current run has finished");
    }
    return video;
  }

  private static SceneState scene(Edits.Target target, int sequence) {
    return target.scene(sequence).orElseThrow(() -> new ApiException(404, "not_found", "Not found",
        "video " + target.video().id() + " has no scene " + sequence, List.of()));
  }

  private SceneQueue queue(Edits.Target target) {
    return queues.ofTier(target.video().tier());
  }
}
