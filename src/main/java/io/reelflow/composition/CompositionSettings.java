package io.reelflow.composition;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Composition ({@code reelflow.composition.*}).
 *
 * @param slots concurrent compositions per instance (the route's consumers); default half the
 *     cores, at least one, so ffmpeg and the JVM together stay inside the machine
 * @param threads threads of each composition's ffmpeg
 * @param timeoutMs longest single ffmpeg pass
 * @param ffprobe the ffprobe executable
 * @param preset x264 preset of the one video encode
 * @param crf x264 quality of the one video encode
 * @param samplesPerScene frames of each scene the output check sees
 * @param captionFont font family of burned-in captions (fontconfig name)
 */
@ConfigurationProperties("reelflow.composition")
public record CompositionSettings(int slots, int threads, long timeoutMs, String ffprobe, String preset, int crf,
    int samplesPerScene, String captionFont) {

  public CompositionSettings {
    slots = slots <= 0 ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : slots;
    threads = threads <= 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : threads;
    timeoutMs = timeoutMs <= 0 ? 300_000 : timeoutMs;
    ffprobe = ffprobe == null || ffprobe.isBlank() ? "ffprobe" : ffprobe;
    preset = preset == null || preset.isBlank() ? "veryfast" : preset;
    crf = crf <= 0 ? 21 : crf;
    samplesPerScene = samplesPerScene <= 0 ? 2 : samplesPerScene;
    captionFont = captionFont == null || captionFont.isBlank() ? "DejaVu Sans" : captionFont;
  }
}
