package io.reelflow.composition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the ffmpeg argument list that joins the scene clips and their voice-overs into the
 * final MP4. The clips are already H.264 at the final size and frame rate, so the video stream is
 * copied, never re-encoded; each voice-over is padded or trimmed to its scene and the audio is
 * encoded once to AAC. {@code +faststart} puts the index first for progressive playback.
 *
 * @param concatList concat-demuxer list naming the scene clips in order
 * @param speech the voice-over of each scene, in order
 * @param sceneMillis the duration of each scene, in order
 * @param music the video's music bed, or null; it plays under the voice and ducks while it speaks
 * @param output the MP4 to write
 */
public record ComposeCommand(Path concatList, List<Path> speech, List<Integer> sceneMillis, Path music, Path output) {

  /** A video without music. */
  public ComposeCommand(Path concatList, List<Path> speech, List<Integer> sceneMillis, Path output) {
    this(concatList, speech, sceneMillis, null, output);
  }

  /** The argument list after the executable (camel-exec takes the executable in its URI). */
  public List<String> arguments(int threads) {
    List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "concat", "-safe", "0", "-i", concatList.toString()));
    for (Path file : speech) {
      args.add("-i");
      args.add(file.toString());
    }
    if (music != null) {
      args.add("-i");
      args.add(music.toString());
    }
    args.addAll(List.of("-filter_complex", audioGraph(), "-map", "0:v", "-map", music == null ? "[voice]" : "[mix]",
        "-c:v", "copy", "-c:a", "aac", "-b:a", "160k", "-ar", "48000",
        "-threads", Integer.toString(threads), "-t", seconds(totalMillis()),
        "-movflags", "+faststart", output.toString()));
    return args;
  }

  /** The concat-demuxer list for {@code clips}; paths are quoted for the demuxer. */
  public static String concatListFor(List<Path> clips) {
    StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
    for (Path clip : clips) {
      list.append("file '").append(clip.toString().replace("'", "'\\''")).append("'\n");
    }
    return list.toString();
  }

  int totalMillis() {
    return sceneMillis.stream().mapToInt(Integer::intValue).sum();
  }

  private String audioGraph() {
    StringBuilder graph = new StringBuilder();
    for (int i = 0; i < speech.size(); i++) {
      graph.append(String.format(Locale.ROOT,
          "[%d:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=end=%s,asetpts=PTS-STARTPTS[s%d];",
          i + 1, seconds(sceneMillis.get(i)), i));
    }
    for (int i = 0; i < speech.size(); i++) {
      graph.append("[s").append(i).append(']');
    }
    graph.append("concat=n=").append(speech.size()).append(":v=0:a=1[voice]");
    if (music != null) {
      graph.append(String.format(Locale.ROOT,
          ";[%d:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=end=%s,volume=0.35[bed]"
              + ";[voice]asplit=2[vmix][vkey]"
              + ";[bed][vkey]sidechaincompress=threshold=0.03:ratio=6:attack=20:release=400[ducked]"
              + ";[vmix][ducked]amix=inputs=2:duration=first:normalize=0[mix]",
          speech.size() + 1, seconds(totalMillis())));
    }
    return graph.toString();
  }

  private static String seconds(int millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }
}
