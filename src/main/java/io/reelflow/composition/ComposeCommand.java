package io.reelflow.composition;

import io.reelflow.provider.FilterGraph;
import io.reelflow.provider.SceneClipCommand;
import io.reelflow.provider.TitleCardCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The final ffmpeg pass: the video is encoded once, to H.264 High / AAC with {@code +faststart}.
 *
 * <p>A scene whose picture is a still (a provider of images) is panned here, in this one encode
 * ({@link SceneClipCommand#panFilter}), rather than encoded into a clip of its own first.
 *
 * <p>With transitions, burned-in captions, a trimmed scene or a still every clip is cut to its scene's
 * kept part (its trim points), normalised (size with letterboxing, square pixels, 25 fps, yuv420p,
 * trimmed to its scene), all but the last extended by the
 * transition's length with its last frame, and joined by a chain of {@code xfade}s whose offsets
 * are the scene boundaries: each transition starts where its scene starts, and the total is the
 * plan's length to the frame. Captions are drawn by libass from an ASS file, never from text in
 * the graph. With neither (a music video without captions), the clips — which every provider
 * already delivers as H.264 at the final size and frame rate — are joined by the concat demuxer
 * and copied, not re-encoded. The audio is the mix of the first pass, normalised linearly.
 *
 * @param plan what to compose
 * @param loudness the mix's measured loudness
 * @param preset x264 preset
 * @param crf x264 quality
 */
record ComposeCommand(CompositionPlan plan, Loudness loudness, String preset, int crf) {

  static final String CONCAT_LIST = "scenes.ffconcat";

  /** True when the clips are joined by stream copy (cuts, no burned-in captions, no scene trimmed). */
  boolean copiesVideo() {
    return plan.transition().cut() && !plan.captions()
        && plan.scenes().stream().noneMatch(scene -> scene.trimmed() || scene.still());
  }

  /** The argument list after the executable (camel-exec takes the executable in its URI). */
  List<String> arguments(int threads) {
    List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
    String audioIn;
    if (copiesVideo()) {
      args.addAll(List.of("-f", "concat", "-safe", "0", "-i", plan.file(CONCAT_LIST).toString()));
      audioIn = "1:a";
    } else {
      for (CompositionPlan.Scene scene : plan.scenes()) {
        args.addAll(List.of("-i", scene.clip().toString()));
      }
      audioIn = plan.scenes().size() + ":a";
    }
    args.addAll(List.of("-i", plan.file(CompositionPlan.MIX).toString()));
    String audio = "[" + audioIn + "]" + loudness.filter() + "[aout]";
    if (copiesVideo()) {
      args.addAll(List.of("-filter_complex", audio, "-map", "0:v", "-map", "[aout]", "-c:v", "copy"));
    } else {
      args.addAll(List.of("-filter_complex", videoGraph() + ";" + audio, "-map", "[vout]", "-map", "[aout]",
          "-c:v", "libx264", "-profile:v", "high", "-preset", preset, "-crf", Integer.toString(crf),
          "-pix_fmt", "yuv420p", "-r", Integer.toString(TitleCardCommand.FPS),
          "-g", Integer.toString(TitleCardCommand.FPS * 2)));
    }
    args.addAll(List.of("-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
        "-threads", Integer.toString(threads), "-t", AudioMixCommand.seconds(plan.totalMs()),
        "-movflags", "+faststart", plan.file(CompositionPlan.OUTPUT).toString()));
    return args;
  }

  /** The concat-demuxer list of the clips; paths are quoted for the demuxer. */
  static String concatListFor(List<Path> clips) {
    StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
    for (Path clip : clips) {
      list.append("file '").append(clip.toString().replace("'", "'\\''")).append("'\n");
    }
    return list.toString();
  }

  private String videoGraph() {
    List<CompositionPlan.Scene> scenes = plan.scenes();
    Transition transition = plan.transition();
    int w = plan.width();
    int h = plan.height();
    StringBuilder graph = new StringBuilder();
    for (int i = 0; i < scenes.size(); i++) {
      CompositionPlan.Scene scene = scenes.get(i);
      boolean last = i == scenes.size() - 1;
      int length = scene.durationMs() + (last ? 0 : transition.millis());
      String picture = !scene.still() ? "" : SceneClipCommand.panFilter(w, h, TitleCardCommand.frames(scene.fullMs())) + ",";
      String cut = !scene.trimmed() ? "" : "trim=start=%s:end=%s,setpts=PTS-STARTPTS,".formatted(
          AudioMixCommand.seconds(scene.inMs()), AudioMixCommand.seconds(scene.outMs()));
      graph.append(String.format(Locale.ROOT,
          "[%d:v]%s%sscale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=%d,"
              + "format=yuv420p,tpad=stop_mode=clone:stop_duration=%s,trim=duration=%s,setpts=PTS-STARTPTS[v%d];",
          i, picture, cut, w, h, w, h, TitleCardCommand.FPS, AudioMixCommand.seconds(transition.millis() + 1000),
          AudioMixCommand.seconds(length), i));
    }
    String joined;
    if (scenes.size() == 1) {
      joined = "v0";
    } else if (transition.cut()) {
      for (int i = 0; i < scenes.size(); i++) {
        graph.append("[v").append(i).append(']');
      }
      graph.append("concat=n=").append(scenes.size()).append(":v=1:a=0[joined];");
      joined = "joined";
    } else {
      String previous = "v0";
      int offset = 0;
      for (int i = 1; i < scenes.size(); i++) {
        offset += scenes.get(i - 1).durationMs();
        String out = "x" + i;
        graph.append(String.format(Locale.ROOT, "[%s][v%d]xfade=transition=%s:duration=%s:offset=%s[%s];",
            previous, i, transition.kind(), AudioMixCommand.seconds(transition.millis()),
            AudioMixCommand.seconds(offset), out));
        previous = out;
      }
      joined = previous;
    }
    graph.append('[').append(joined).append(']');
    if (plan.captions()) {
      graph.append("subtitles=filename=").append(FilterGraph.quote(plan.file(CompositionPlan.ASS).toString()))
          .append(",");
    }
    graph.append("null[vout]");
    return graph.toString();
  }
}
