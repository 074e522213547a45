package io.reelflow.provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a provider's picture into a scene clip that composition can join without re-encoding:
 * H.264 at the video's size and {@link TitleCardCommand#FPS}, exactly the scene's frame count. A
 * still image is scaled once to 110% of the frame and then panned slowly across (a crop that moves
 * with the frame number: a quarter of the CPU of a zoompan push-in, which on two cores decided how
 * many scenes could finish at once); a video is cropped to fill the frame and its last frame held
 * when it is shorter than the scene.
 *
 * @param input the provider's image or video
 * @param still whether the input is a still image
 * @param width frame width
 * @param height frame height
 * @param frames exact number of frames
 * @param output the MP4 to write
 */
public record SceneClipCommand(Path input, boolean still, int width, int height, int frames, Path output) {

  /** The argument list, starting with the ffmpeg executable. */
  public List<String> arguments(String ffmpeg, int threads) {
    List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
    args.addAll(List.of("-i", input.toString(), "-vf", filter() + ",format=yuv420p"));
    args.addAll(TitleCardCommand.clipEncoding(frames, threads, output));
    return args;
  }

  private static int even(double value) {
    int rounded = (int) Math.round(value);
    return rounded + (rounded % 2);
  }

  String filter() {
    if (still) {
      int wide = even(width * 1.1);
      int tall = even(height * 1.1);
      return String.format(Locale.ROOT,
          "scale=%1$d:%2$d:force_original_aspect_ratio=increase,crop=%1$d:%2$d,setsar=1,"
              + "loop=loop=%3$d:size=1:start=0,setpts=N/%4$d/TB,"
              + "crop=%5$d:%6$d:x='(iw-ow)*n/%7$d':y='(ih-oh)/2'",
          wide, tall, Math.max(0, frames - 1), TitleCardCommand.FPS, width, height, Math.max(1, frames - 1));
    }
    return String.format(Locale.ROOT,
        "scale=%1$d:%2$d:force_original_aspect_ratio=increase,crop=%1$d:%2$d,setsar=1,fps=%3$d,"
            + "tpad=stop_mode=clone:stop=%4$d",
        width, height, TitleCardCommand.FPS, frames);
  }
}
