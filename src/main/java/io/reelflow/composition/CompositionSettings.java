package io.reelflow.composition;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the composition beans read of {@code reelflow.composition.*}. The route reads the others
 * ({@code slots}, {@code timeout-ms}, {@code ffprobe}) as placeholders; {@code slots} and
 * {@code threads} default to half the cores and the cores ({@link CompositionDefaults}).
 *
 * @param threads threads of each composition's ffmpeg
 * @param preset x264 preset of the one video encode
 * @param crf x264 quality of the one video encode
 * @param samplesPerScene frames of each scene the output check sees
 * @param captionFont font family of burned-in captions (fontconfig name)
 */
@ConfigurationProperties("reelflow.composition")
public record CompositionSettings(int threads, String preset, int crf, int samplesPerScene, String captionFont) {

  public CompositionSettings {
    preset = preset == null || preset.isBlank() ? "veryfast" : preset;
    crf = crf <= 0 ? 21 : crf;
    samplesPerScene = samplesPerScene <= 0 ? 2 : samplesPerScene;
    captionFont = captionFont == null || captionFont.isBlank() ? "DejaVu Sans" : captionFont;
  }
}
