package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** ffprobe's view of a clip's video stream, for render tests. */
final class VideoProbe {

  private VideoProbe() {}

  /** {@code codec,width,height,frames} of the first video stream, frames counted by decoding. */
  static String summary(Path file) throws Exception {
    Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(probe.waitFor()).as(out).isZero();
    return out;
  }
}
