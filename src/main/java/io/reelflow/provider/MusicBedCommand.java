package io.reelflow.provider;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command that synthesises a music bed: a four-chord progression with a bass line, an
 * amplitude envelope that carries the mood, soft filtering and fades, as 48 kHz stereo WAV.
 *
 * @param mood the feel of the bed
 * @param durationMs length of the bed
 * @param output the WAV file to write
 */
public record MusicBedCommand(Mood mood, int durationMs, Path output) {

  /** A feel for the bed, chosen from the video's tone. */
  public enum Mood {
    /** Bright major progression, plucked eighths at 128 bpm. */
    ENERGETIC(List.of(List.of(60, 64, 67), List.of(67, 71, 74), List.of(69, 72, 76), List.of(65, 69, 72)), 128,
        "(0.35+0.65*exp(-9*mod(t,%1$s)))"),
    /** Warm major-seventh pads, slow swell at 80 bpm. */
    CALM(List.of(List.of(60, 64, 67, 71), List.of(65, 69, 72, 76), List.of(57, 60, 64, 67), List.of(62, 65, 69, 72)), 80,
        "(0.75+0.25*sin(2*PI*0.25*t))"),
    /** Low minor progression, each chord swelling, at 70 bpm. */
    DRAMATIC(List.of(List.of(57, 60, 64), List.of(53, 57, 60), List.of(48, 52, 55), List.of(55, 59, 62)), 70,
        "(0.35+0.65*sin(PI*mod(t,%2$s)/%2$s))");

    private final List<List<Integer>> chords;
    private final int bpm;
    private final String envelope;

    Mood(List<List<Integer>> chords, int bpm, String envelope) {
      this.chords = chords;
      this.bpm = bpm;
      this.envelope = envelope;
    }

    /** The mood a tone word asks for; the mode decides when the tone says nothing. */
    public static Mood of(String tone, String mode) {
      String t = tone == null ? "" : tone.toLowerCase(Locale.ROOT);
      if (t.matches(".*(dramatic|epic|dark|serious|intense|cinematic|suspense|moody|somber).*")) {
        return DRAMATIC;
      }
      if (t.matches(".*(calm|warm|cozy|cosy|relax|soft|gentle|serene|peaceful|elegant|luxur|dreamy).*")) {
        return CALM;
      }
      if (t.matches(".*(energetic|upbeat|fun|playful|bold|exciting|happy|bright|lively|sporty).*")) {
        return ENERGETIC;
      }
      return "explainer".equals(mode) || "story".equals(mode) ? CALM : ENERGETIC;
    }
  }

  /** The argument list including the executable. */
  public List<String> arguments(String ffmpeg) {
    double seconds = durationMs / 1000.0;
    double fadeOut = Math.min(2.0, seconds / 4);
    String filter = String.format(Locale.ROOT,
        "lowpass=f=2800,aecho=0.8:0.6:60|120:0.25|0.15,afade=t=in:d=%s,afade=t=out:st=%s:d=%s",
        num(Math.min(1.0, seconds / 4)), num(seconds - fadeOut), num(fadeOut));
    return List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "aevalsrc=" + expression() + ":s=48000:d=" + num(seconds),
        "-af", filter, "-t", num(seconds), "-ac", "2", "-ar", "48000", "-c:a", "pcm_s16le", output.toString());
  }

  /** The aevalsrc expression: chord k of the progression plays during bar k (mod 4). */
  String expression() {
    double beat = 60.0 / mood.bpm;
    double bar = beat * 4;
    String chord = "mod(floor(t/" + num(bar) + "),4)";
    StringBuilder voices = new StringBuilder();
    for (int k = mood.chords.size() - 1; k >= 0; k--) {
      String tones = tones(mood.chords.get(k));
      voices.insert(0, k == mood.chords.size() - 1 ? tones : "if(eq(" + chord + "," + k + ")," + tones + ",");
    }
    voices.append(")".repeat(mood.chords.size() - 1));
    String envelope = String.format(Locale.ROOT, mood.envelope, num(beat / 2), num(bar));
    return "'0.25*" + envelope + "*(" + voices + ")'";
  }

  private static String tones(List<Integer> notes) {
    StringBuilder sum = new StringBuilder();
    for (int note : notes) {
      sum.append(sum.isEmpty() ? "" : "+").append("sin(2*PI*").append(num(frequency(note))).append("*t)");
    }
    sum.append("+0.8*sin(2*PI*").append(num(frequency(notes.get(0) - 24))).append("*t)");
    return "(" + sum + ")";
  }

  static double frequency(int midiNote) {
    return 440.0 * Math.pow(2, (midiNote - 69) / 12.0);
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
