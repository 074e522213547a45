package io.reelflow.composition;

import io.reelflow.video.ImageType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one composition works from, gathered in the video's work directory: the scenes in display
 * order with their clip, voice-over, trim and timing, the music bed, the frame and the transition.
 * The commands of the composition route are built from it.
 *
 * @param version the version of the video this composition makes (1 for the first)
 * @param workDir the video's composition directory (deleted when composition ends)
 * @param width frame width
 * @param height frame height
 * @param scenes the scenes, in display order
 * @param music the music bed, or null
 * @param transition how scenes give way to each other
 * @param captions whether captions are burned in (the subtitle file is made either way)
 */
public record CompositionPlan(int version, Path workDir, int width, int height, List<Scene> scenes, Path music,
    Transition transition, boolean captions) {

  /** The first version's plan. */
  public CompositionPlan(Path workDir, int width, int height, List<Scene> scenes, Path music, Transition transition,
      boolean captions) {
    this(1, workDir, width, height, scenes, music, transition, captions);
  }

  /**
   * One scene. Its clip and voice-over both last {@code fullMs}; the final video keeps the part
   * from {@code inMs} to {@code outMs} of both, so the voice is cut with the picture.
   *
   * @param sequence its sequence number
   * @param clip its video clip
   * @param speech its voice-over
   * @param fullMs its planned length (the clip's)
   * @param inMs where the kept part starts (0 untrimmed)
   * @param outMs where it ends ({@code fullMs} untrimmed)
   * @param speechMs how long its voice speaks from the clip's start (0 when unknown)
   * @param script what the voice says
   * @param headline its on-screen headline
   */
  public record Scene(int sequence, Path clip, Path speech, int fullMs, int inMs, int outMs, int speechMs,
      String script, String headline) {

    /** An untrimmed scene. */
    public Scene(int sequence, Path clip, Path speech, int durationMs, int speechMs, String script, String headline) {
      this(sequence, clip, speech, durationMs, 0, durationMs, speechMs, script, headline);
    }

    /** Its length in the final video. */
    public int durationMs() {
      return outMs - inMs;
    }

    /** True when the scene's picture is a still (PNG, JPEG or WebP) that the composition moves. */
    public boolean still() {
      return ImageType.named(clip.getFileName().toString());
    }

    /** True when only part of the clip is kept. */
    public boolean trimmed() {
      return inMs > 0 || outMs < fullMs;
    }
  }

  static final String MIX = "mix.wav";
  static final String VOICE = "voice.wav";
  static final String SRT = "captions.srt";
  static final String ASS = "captions.ass";
  static final String OUTPUT = "final.mp4";
  static final String THUMBNAIL = "thumbnail.jpg";
  static final String POSTER = "poster.jpg";

  public int totalMs() {
    return scenes.stream().mapToInt(Scene::durationMs).sum();
  }

  /** Where each scene starts in the final video, in milliseconds. */
  List<Integer> startsMs() {
    List<Integer> starts = new ArrayList<>();
    int at = 0;
    for (Scene scene : scenes) {
      starts.add(at);
      at += scene.durationMs();
    }
    return starts;
  }

  /** The voice-overs placed on the timeline, for captions and the silence check. */
  List<Captions.Spoken> spoken() {
    List<Captions.Spoken> spoken = new ArrayList<>();
    List<Integer> starts = startsMs();
    for (int i = 0; i < scenes.size(); i++) {
      Scene s = scenes.get(i);
      spoken.add(new Captions.Spoken(starts.get(i), s.durationMs(), s.speechMs(), s.script(), s.inMs(), s.fullMs()));
    }
    return spoken;
  }

  /** Everything said and shown as text in the video, for the output moderation. */
  public String transcript() {
    StringBuilder text = new StringBuilder();
    for (Scene s : scenes) {
      text.append(s.headline() == null ? "" : s.headline() + "\n").append(s.script() == null ? "" : s.script() + "\n");
    }
    return text.toString().strip();
  }

  Path file(String name) {
    return workDir.resolve(name);
  }
}
