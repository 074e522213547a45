package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** ffprobe's view of a clip's video stream, for render tests. */
final class VideoProbe {

  private VideoProbe() {}

  /** {@code codec,width,height,frames} of the first video stream, frames counted by decoding. */
  static String summary(Path file) throws Exception {
    return run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", file.toString());
  }

  /**
   * The clip contract composition relies on, one line per stream: {@code
   * codec,profile,width,height,pix_fmt,frame rate,frames} for video, and a line for any other
   * stream (a clip that carries audio shows a second line).
   */
  static String contract(Path file) throws Exception {
    return run("ffprobe", "-v", "error", "-count_frames",
        "-show_entries", "stream=codec_name,profile,pix_fmt,width,height,r_frame_rate,nb_read_frames",
        "-of", "csv=p=0", file.toString());
  }

  /** Mean red, green and blue of frame {@code index}, averaged by ffmpeg's area scaler. */
  static int[] meanColour(Path file, int index) throws Exception {
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(),
        "-vf", "select=eq(n\\," + index + "),scale=1:1:flags=area", "-frames:v", "1",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-").start();
    byte[] rgb = ffmpeg.getInputStream().readAllBytes();
    String errors = new String(ffmpeg.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ffmpeg.waitFor()).as(errors).isZero();
    assertThat(rgb).as(errors).hasSize(3);
    return new int[] {rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff};
  }

  /** Runs ffmpeg with {@code args} (after {@code ffmpeg -v error -y}) and expects success. */
  static void ffmpeg(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
  }

  private static String run(String... command) throws Exception {
    Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(probe.waitFor()).as(out).isZero();
    return out;
  }
}
