package io.reelflow.video;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Edits of a composed video: a scene's texts or trim, a scene generated anew, the scenes' order.
 * Each runs in the caller's transaction under the video's row lock ({@link #lock}): it changes the
 * scenes, forgets the media that must be made again and moves the video back to {@code generating}
 * (something to regenerate) or {@code composing} (recomposition only), with a {@code video.edited}
 * event and the outbox rows that restart the pipeline. The barrier and composition then make the
 * next version; earlier versions are not touched.
 *
 * <p>Lock order: the video, then its scenes. A worker takes them the other way round, but no
 * worker holds a scene of an editable video (it is finished), so the two cannot deadlock.
 */
@Component
public class Edits {

  /** A video as an edit finds it, under its row lock: the row and its scenes in display order. */
  public record Target(Video video, List<SceneState> scenes) {

    public Optional<SceneState> scene(int sequence) {
      return scenes.stream().filter(s -> s.sequence() == sequence).findFirst();
    }
  }

  /**
   * One scene as an edit sees it.
   *
   * @param trimInMs where the scene starts in its clip; null for its start
   * @param trimOutMs where it ends; null for its end ({@code durationMs})
   */
  public record SceneState(UUID id, int sequence, int displayOrder, String headline, String visualPrompt,
      String audioScript, int durationMs, Integer trimInMs, Integer trimOutMs, String status) {}

  /** An edit the video's state does not allow; {@code code} is {@code video_busy} or {@code not_editable}. */
  public static final class Refused extends RuntimeException {
    private final String code;

    Refused(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** A scene generated again: its capabilities ({@code visual}, {@code speech}) made anew. */
  public record Regeneration(UUID sceneId, int sequence, List<String> capabilities) {}

  /** What an edit started: the video's status now, its current version and the one being made. */
  public record Started(VideoStatus status, int version, int nextVersion, List<Regeneration> regenerating) {}

  /** Asset types a capability makes, forgotten when it must make them again. */
  private static final Map<String, List<String>> ASSET_TYPES =
      Map.of("visual", Assets.VISUAL_TYPES, "speech", List.of("speech"));

  private final JdbcClient jdbc;
  private final Videos videos;
  private final JobEvents events;
  private final Outbox outbox;
  private final Json json;

  Edits(JdbcClient jdbc, Videos videos, JobEvents events, Outbox outbox, Json json) {
    this.jdbc = jdbc;
    this.videos = videos;
    this.events = events;
    this.outbox = outbox;
    this.json = json;
  }

  /**
   * Locks the video for an edit and reads its scenes.
   *
   * @throws Refused {@code video_busy} while the video runs (its first run or an earlier edit),
   *     {@code not_editable} when it has no version to edit (it never finished, or expired) or no
   *     scenes (it was served from the cache)
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Target lock(UUID videoId) {
    jdbc.sql("select id from videos where id = ? for update").param(videoId).query(UUID.class).single();
    Video video = videos.find(videoId).orElseThrow();
    if (!video.status().isTerminal()) {
      throw new Refused("video_busy", "video " + videoId + " is " + video.status().dbName()
          + "; edit it once its current run has finished");
    }
    if (!video.hasVersion()) {
      throw new Refused("not_editable", "video " + videoId + " is " + video.status().dbName()
          + " and has no final video to edit" + (video.status() == VideoStatus.FAILED ? "; retry its failed scene" : ""));
    }
    List<SceneState> scenes = jdbc.sql(
            "select id, sequence_number as sequence, display_order, headline, visual_prompt, audio_script, duration_ms,"
                + " trim_in_ms, trim_out_ms, status from scenes where video_id = ? order by display_order")
        .param(videoId)
        .query(SceneState.class)
        .list();
    if (scenes.isEmpty()) {
      throw new Refused("not_editable", "video " + videoId + " was served from the cache and has no scenes to edit");
    }
    return new Target(video, scenes);
  }

  /**
   * Gives a scene new texts or trim points ({@code edited}, the scene as it is to be): a new
   * visual prompt or headline makes its visual again, a new voice-over its speech; a trim only
   * recomposes.
   *
   * @param fields the API fields the edit named, for the version's record of what changed
   * @param queue the generation queue of the video's tier, with its priority
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Started change(Target target, SceneState edited, List<String> fields, SceneQueue queue) {
    SceneState before = target.scene(edited.sequence()).orElseThrow();
    jdbc.sql("update scenes set headline = ?, visual_prompt = ?, audio_script = ?, trim_in_ms = ?, trim_out_ms = ?"
            + " where id = ?")
        .params(edited.headline(), edited.visualPrompt(), edited.audioScript(), edited.trimInMs(), edited.trimOutMs(),
            before.id())
        .update();
    List<String> again = new ArrayList<>();
    if (!edited.visualPrompt().equals(before.visualPrompt()) || !edited.headline().equals(before.headline())) {
      again.add("visual");
    }
    if (!edited.audioScript().equals(before.audioScript())) {
      again.add("speech");
    }
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("action", "edit");
    change.put("scene", before.sequence());
    change.put("fields", fields);
    return restart(target, again.isEmpty() ? Map.of() : Map.of(before.sequence(), again), change, queue);
  }

  /** Makes a scene's visual and voice-over again from its current texts: new provider jobs, not the stored ones. */
  @Transactional(propagation = Propagation.MANDATORY)
  public Started regenerate(Target target, SceneState scene, SceneQueue queue) {
    return restart(target, Map.of(scene.sequence(), List.of("visual", "speech")),
        Map.of("action", "regenerate", "scene", scene.sequence()), queue);
  }

  /** Shows the scenes in {@code order} (sequence numbers, each once); their media is kept. */
  @Transactional(propagation = Propagation.MANDATORY)
  public Started reorder(Target target, List<Integer> order, SceneQueue queue) {
    for (int position = 0; position < order.size(); position++) {
      jdbc.sql("update scenes set display_order = ? where video_id = ? and sequence_number = ?")
          .params(position, target.video().id(), order.get(position))
          .update();
    }
    return restart(target, Map.of(), Map.of("action", "reorder", "order", order), queue);
  }

  /**
   * Runs the pipeline again from where the edit needs it: the scenes in {@code regenerate}
   * (sequence → capabilities) lose those assets and become pending, as does any scene an earlier
   * failed edit left unfinished; with something pending the video generates (the unchanged scenes'
   * scene-done messages are sent again for the barrier), otherwise it composes at once.
   */
  private Started restart(Target target, Map<Integer, List<String>> regenerate, Map<String, Object> change,
      SceneQueue queue) {
    UUID videoId = target.video().id();
    List<Regeneration> running = new ArrayList<>();
    for (SceneState scene : target.scenes()) {
      List<String> again = regenerate.getOrDefault(scene.sequence(), List.of());
      if (!again.isEmpty()) {
        jdbc.sql("delete from assets where scene_id = ? and asset_type = any(?)")
            .params(scene.id(), again.stream().flatMap(c -> ASSET_TYPES.get(c).stream()).toArray(String[]::new))
            .update();
      } else if (!"succeeded".equals(scene.status())) {
        again = missing(scene.id());
      } else {
        continue;
      }
      jdbc.sql("update scenes set status = 'pending', retry_count = 0, error_code = null, error_message = null,"
              + " started_at = null, finished_at = null, lease_owner = null, lease_expires_at = null where id = ?")
          .param(scene.id())
          .update();
      running.add(new Regeneration(scene.id(), scene.sequence(), again));
    }
    VideoStatus next = running.isEmpty() ? VideoStatus.COMPOSING : VideoStatus.GENERATING;
    jdbc.sql("""
            update videos set status = ?, restarted_at = now(), updated_at = now(), completed_at = null,
                   error_code = null, error_message = null, error_stage = null, error_retryable = null,
                   error_scene = null, error_provider = null, error_provider_code = null,
                   pending_changes = coalesce(pending_changes, '[]'::jsonb) || cast(? as jsonb)
             where id = ?""")
        .params(next.dbName(), json.write(List.of(change)), videoId)
        .update();
    queueWork(target, next, running, queue);
    int version = target.video().version();
    Map<String, Object> detail = new LinkedHashMap<>(change);
    detail.put("status", next.dbName());
    detail.put("version", version);
    detail.put("next_version", version + 1);
    detail.put("regenerating", running.stream().map(Regeneration::sequence).toList());
    events.append(videoId, null, "video.edited", "intake", detail);
    return new Started(next, version, version + 1, running);
  }

  private void queueWork(Target target, VideoStatus next, List<Regeneration> running, SceneQueue queue) {
    UUID videoId = target.video().id();
    if (next == VideoStatus.COMPOSING) {
      outbox.enqueue(videoId, Videos.COMPOSE_QUEUE, new VideoMessage(videoId));
      return;
    }
    List<UUID> pending = running.stream().map(Regeneration::sceneId).toList();
    for (SceneState scene : target.scenes()) {
      SceneMessage message = new SceneMessage(videoId, scene.id(), target.scenes().size());
      if (pending.contains(scene.id())) {
        outbox.enqueueScenes(videoId, queue, List.of(message));
      } else {
        outbox.enqueue(videoId, Scenes.DONE_QUEUE, message);
      }
    }
  }

  /** The capabilities whose media an unfinished scene lacks. */
  private List<String> missing(UUID sceneId) {
    List<String> kept = jdbc.sql("select asset_type from assets where scene_id = ?").param(sceneId)
        .query(String.class).list();
    List<String> missing = new ArrayList<>();
    if (!kept.contains("video") && !kept.contains("image")) {
      missing.add("visual");
    }
    if (!kept.contains("speech")) {
      missing.add("speech");
    }
    return missing;
  }
}
