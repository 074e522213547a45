package io.reelflow.composition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first ffmpeg pass of a composition, audio only (cheap: no video is decoded): each voice-over
 * padded to its clip, cut to the scene's kept part (its trim points) and joined into the voice bus; the music bed, when there is one,
 * under it with sidechain ducking while the voice speaks; the mix written to {@code mix.wav}, the
 * voice alone to {@code voice.wav} (for the silence check), and the mix's loudness measured by
 * {@code loudnorm} (printed as JSON on stderr) so the final pass can normalise it in one linear
 * step to −14 LUFS.
 */
record AudioMixCommand(CompositionPlan plan) {

  static final String LOUDNORM_TARGET = "I=-14:TP=-1.5:LRA=11";

  List<String> arguments(int threads) {
    List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-y"));
    for (CompositionPlan.Scene scene : plan.scenes()) {
      args.addAll(List.of("-i", scene.speech().toString()));
    }
    if (plan.music() != null) {
      args.addAll(List.of("-i", plan.music().toString()));
    }
    args.addAll(List.of("-filter_complex", graph(), "-threads", Integer.toString(threads),
        "-map", "[mixout]", "-c:a", "pcm_s16le", plan.file(CompositionPlan.MIX).toString(),
        "-map", "[voiceout]", "-c:a", "pcm_s16le", plan.file(CompositionPlan.VOICE).toString(),
        "-map", "[measured]", "-f", "null", "-"));
    return args;
  }

  private String graph() {
    List<CompositionPlan.Scene> scenes = plan.scenes();
    StringBuilder graph = new StringBuilder();
    for (int i = 0; i < scenes.size(); i++) {
      CompositionPlan.Scene scene = scenes.get(i);
      String trim = scene.trimmed() ? "start=" + seconds(scene.inMs()) + ":end=" + seconds(scene.outMs())
          : "end=" + seconds(scene.durationMs());
      graph.append(String.format(Locale.ROOT, "[%d:a]%s,apad,atrim=%s,asetpts=PTS-STARTPTS[s%d];", i, STEREO_48K,
          trim, i));
    }
    for (int i = 0; i < scenes.size(); i++) {
      graph.append("[s").append(i).append(']');
    }
    graph.append("concat=n=").append(scenes.size()).append(":v=0:a=1");
    if (plan.music() == null) {
      graph.append(",asplit=3[voiceout][mixout][m];");
    } else {
      graph.append(",asplit=3[voiceout][vmix][vkey];")
          .append(String.format(Locale.ROOT, "[%d:a]%s,apad,atrim=end=%s,volume=0.35[bed];", scenes.size(), STEREO_48K,
              seconds(plan.totalMs())))
          .append("[bed][vkey]sidechaincompress=threshold=0.03:ratio=6:attack=20:release=400[ducked];")
          .append("[vmix][ducked]amix=inputs=2:duration=first:normalize=0,asplit=2[mixout][m];");
    }
    graph.append("[m]loudnorm=").append(LOUDNORM_TARGET).append(":print_format=json[measured]");
    return graph.toString();
  }

  private static final String STEREO_48K = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo";

  static String seconds(int millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }
}
