package io.reelflow.provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a provider's picture into a scene clip that composition can join without re-encoding:
 * H.264 at the video's size and {@link TitleCardCommand#FPS}, exactly the scene's frame count. A
 * still image gets a slow push-in (scaled up first so the motion does not jitter); a video is
 * cropped to fill the frame and its last frame held when it is shorter than the scene.
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
    if (still) {
      args.addAll(List.of("-loop", "1", "-framerate", Integer.toString(TitleCardCommand.FPS)));
    }
    args.addAll(List.of("-i", input.toString(), "-vf", filter() + ",format=yuv420p",
        "-frames:v", Integer.toString(frames),
        "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-crf", "23",
        "-g", Integer.toString(TitleCardCommand.FPS * 2), "-threads", Integer.toString(threads),
        "-movflags", "+faststart", "-an", output.toString()));
    return args;
  }

  String filter() {
    if (still) {
      return String.format(Locale.ROOT,
          "scale=%1$d:%2$d:force_original_aspect_ratio=increase,crop=%1$d:%2$d,setsar=1,"
              + "zoompan=z='min(1+0.1*on/%3$d,1.1)':d=1:x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s=%4$dx%5$d:fps=%6$d",
          width * 2, height * 2, Math.max(1, frames), width, height, TitleCardCommand.FPS);
    }
    return String.format(Locale.ROOT,
        "scale=%1$d:%2$d:force_original_aspect_ratio=increase,crop=%1$d:%2$d,setsar=1,fps=%3$d,"
            + "tpad=stop_mode=clone:stop=%4$d",
        width, height, TitleCardCommand.FPS, frames);
  }
}
