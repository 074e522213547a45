package io.reelflow.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * The media the simulator hands out: PNG stills named after their prediction, drawn on first
 * download and then kept in memory, and speech as 16-bit mono 24 kHz PCM, bare or in a WAV.
 * Thread-safe.
 */
final class SimulatedMedia {

  static final int SAMPLE_RATE = 24_000;

  private static final Duration PER_CHARACTER = Duration.ofMillis(60);
  private static final Duration MIN_SPEECH = Duration.ofMillis(500);
  private static final int MAX_SIDE = 4096;
  private static final int LONG_SIDE = 1280;
  private static final int SQUARE_SIDE = 1024;
  private static final int PROMPT_CHARS = 40;

  private record Still(Dimension size, String prompt) {}

  private final Map<String, Still> stills = new ConcurrentHashMap<>();
  private final Map<String, byte[]> rendered = new ConcurrentHashMap<>();

  /** Registers the still for {@code id}; it is drawn when first asked for. */
  void addImage(String id, Dimension size, String prompt) {
    stills.put(id, new Still(size, prompt));
  }

  /** The PNG for {@code id}, or empty when no prediction produced one. */
  Optional<byte[]> png(String id) {
    Still still = stills.get(id);
    if (still == null) {
      return Optional.empty();
    }
    return Optional.of(rendered.computeIfAbsent(id, key -> png(still.size(), still.prompt())));
  }

  /**
   * The size asked for by {@code width}/{@code height}, else by {@code aspect_ratio} ({@code 16:9}
   * is 1280x720, {@code 9:16} 720x1280), else 1024x1024.
   */
  static Dimension imageSize(JsonNode input) {
    if (input.path("width").canConvertToInt() && input.path("height").canConvertToInt()) {
      return new Dimension(side(input.path("width").asInt()), side(input.path("height").asInt()));
    }
    String[] ratio = input.path("aspect_ratio").asText("").split(":");
    if (ratio.length == 2) {
      try {
        double w = Double.parseDouble(ratio[0]);
        double h = Double.parseDouble(ratio[1]);
        if (w > h && h > 0) {
          return new Dimension(LONG_SIDE, side((int) Math.round(LONG_SIDE * h / w)));
        }
        if (h > w && w > 0) {
          return new Dimension(side((int) Math.round(LONG_SIDE * w / h)), LONG_SIDE);
        }
      } catch (NumberFormatException malformed) {
        // a ratio that is not two numbers gets the square default
      }
    }
    return new Dimension(SQUARE_SIDE, SQUARE_SIDE);
  }

  /** A gradient in colours derived from the prompt, with its first 40 characters on top. */
  static byte[] png(Dimension size, String prompt) {
    BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      int hash = prompt.hashCode();
      Color from = Color.getHSBColor((hash & 0xff) / 255f, 0.6f, 0.8f);
      Color to = Color.getHSBColor(((hash >>> 8) & 0xff) / 255f, 0.7f, 0.35f);
      g.setPaint(new GradientPaint(0, 0, from, size.width, size.height, to));
      g.fillRect(0, 0, size.width, size.height);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, size.width / 32)));
      String text = prompt.length() > PROMPT_CHARS ? prompt.substring(0, PROMPT_CHARS) : prompt;
      g.drawString(text, size.width / 20, size.height / 2);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** How long speaking {@code text} takes: 60 ms a character, at least 500 ms. */
  static Duration speechDuration(String text) {
    Duration length = PER_CHARACTER.multipliedBy(text.codePointCount(0, text.length()));
    return length.compareTo(MIN_SPEECH) < 0 ? MIN_SPEECH : length;
  }

  /** A quiet tone with a little noise, as long as {@link #speechDuration}, little-endian. */
  static byte[] pcm(String text) {
    int samples = (int) (speechDuration(text).toMillis() * SAMPLE_RATE / 1000);
    ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    Random noise = new Random(text.hashCode());
    double hz = 180 + Math.floorMod(text.hashCode(), 120);
    for (int i = 0; i < samples; i++) {
      double tone = Math.sin(2 * Math.PI * hz * i / SAMPLE_RATE) * 0.1;
      double hiss = (noise.nextDouble() - 0.5) * 0.01;
      pcm.putShort((short) Math.round((tone + hiss) * Short.MAX_VALUE));
    }
    return pcm.array();
  }

  /** {@link #pcm} in a canonical 44-byte-header WAV. */
  static byte[] wav(String text) {
    byte[] data = pcm(text);
    ByteBuffer wav = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.length);
    wav.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    wav.putShort((short) 1).putShort((short) 1).putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2);
    wav.putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    return wav.array();
  }

  private static int side(int pixels) {
    return Math.max(16, Math.min(MAX_SIDE, pixels));
  }
}
