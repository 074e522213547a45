package io.reelflow.provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a provider's video into a scene clip that composition can join without re-encoding:
 * H.264 at the video's size and {@link TitleCardCommand#FPS}, exactly the scene's frame count,
 * cropped to fill the frame and its last frame held when it is shorter than the scene. (A still
 * image needs no clip: composition pans it, {@link #panFilter}.)
 *
 * @param input the provider's video
 * @param width frame width
 * @param height frame height
 * @param frames exact number of frames
 * @param output the MP4 to write
 */
public record SceneClipCommand(Path input, int width, int height, int frames, Path output) {

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
    return String.format(Locale.ROOT,
        "scale=%1$d:%2$d:force_original_aspect_ratio=increase,crop=%1$d:%2$d,setsar=1,fps=%3$d,"
            + "tpad=stop_mode=clone:stop=%4$d",
        width, height, TitleCardCommand.FPS, frames);
  }

  /**
   * The moving picture made of one still: scaled once to 110% of the frame, then {@code frames}
   * frames at {@link TitleCardCommand#FPS} of a crop that pans slowly across it (a quarter of the
   * CPU of a zoompan push-in). The still is scaled and converted from RGB before it is looped,
   * so the scaler and the RGB conversion run once, not per frame (0.10 instead of 0.16 CPU-s for
   * a 5 s 480x480 scene from a 1024x1024 PNG; 4:4:4 keeps the crop's steps one pixel wide).
   */
  public static String panFilter(int width, int height, int frames) {
    int wide = even(width * 1.1);
    int tall = even(height * 1.1);
    return String.format(Locale.ROOT,
        "scale=%1$d:%2$d:force_original_aspect_ratio=increase,crop=%1$d:%2$d,setsar=1,format=yuv444p,"
            + "loop=loop=%3$d:size=1:start=0,setpts=N/%4$d/TB,"
            + "crop=%5$d:%6$d:x='(iw-ow)*n/%7$d':y='(ih-oh)/2'",
        wide, tall, Math.max(0, frames - 1), TitleCardCommand.FPS, width, height, Math.max(1, frames - 1));
  }
}
