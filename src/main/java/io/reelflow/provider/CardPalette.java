package io.reelflow.provider;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The colours of a title card, chosen by the video's tone so that every scene of a video shares
 * one look. The names and keywords follow the tone vocabulary of the local planner (playful, fun,
 * energetic, upbeat, calm, warm, luxury, serious, dramatic), so the card looks like the shot the
 * plan describes: "golden light, warm palette" is amber, "deep blacks and gold accents" is black
 * and gold.
 *
 * <p>Both gradient colours are dark or saturated enough for light text: a palette never relies on
 * the scrim alone for contrast.
 *
 * @param name palette name
 * @param from gradient colour at the dark end, {@code 0xRRGGBB}
 * @param to gradient colour at the light end
 * @param accent colour of the accent bar and the soft light on the background
 * @param text headline colour
 */
public record CardPalette(String name, String from, String to, String accent, String text) {

  private static final Map<String, CardPalette> PALETTES = Map.of(
      "warm", new CardPalette("warm", "0x2e1205", "0xc8742a", "0xffd27a", "0xfff6e8"),
      "energetic", new CardPalette("energetic", "0x3a0ca3", "0xff4d6d", "0xffe14d", "0xffffff"),
      "calm", new CardPalette("calm", "0x0e2433", "0x5f98a6", "0xf2d7b6", "0xf4fbfb"),
      "luxury", new CardPalette("luxury", "0x070708", "0x38302a", "0xc9a45c", "0xf5efe3"),
      "playful", new CardPalette("playful", "0x6a3de8", "0x22c1c3", "0xffd166", "0xffffff"),
      "confident", new CardPalette("confident", "0x0b1626", "0x1d5fc4", "0xff9f1c", "0xffffff"),
      "dramatic", new CardPalette("dramatic", "0x050506", "0x5c0f1f", "0xe63946", "0xf1f1f1"),
      "fresh", new CardPalette("fresh", "0x093528", "0x3fa878", "0xe9f5a1", "0xffffff"));

  /** Words of a free-form tone that suggest a palette, by palette. */
  private static final Map<String, List<String>> SYNONYMS = Map.of(
      "warm", List.of("warm", "cozy", "cosy", "friendly", "nostalgic", "inviting", "heartfelt", "golden"),
      "energetic", List.of("energetic", "upbeat", "exciting", "bold", "dynamic", "intense", "sporty", "powerful",
          "vibrant", "hype"),
      "calm", List.of("calm", "serene", "peaceful", "relaxing", "relaxed", "soothing", "gentle", "tranquil", "soft"),
      "luxury", List.of("luxury", "luxurious", "elegant", "premium", "sophisticated", "classy", "exclusive",
          "refined", "glamorous"),
      "playful", List.of("playful", "fun", "funny", "whimsical", "cheerful", "quirky", "silly", "joyful", "happy"),
      "confident", List.of("confident", "serious", "professional", "corporate", "trustworthy", "authoritative",
          "informative", "modern"),
      "dramatic", List.of("dramatic", "dark", "moody", "mysterious", "epic", "cinematic", "suspenseful", "edgy",
          "gritty", "noir"),
      "fresh", List.of("fresh", "clean", "natural", "healthy", "green", "minimal", "minimalist", "crisp",
          "organic"));

  private static final Map<String, String> KEYWORDS = SYNONYMS.entrySet().stream()
      .flatMap(e -> e.getValue().stream().map(word -> Map.entry(word, e.getKey())))
      .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

  /** The look of a mode when the tone is absent or names nothing known. */
  private static final Map<String, String> MODE_DEFAULTS =
      Map.of("ad", "confident", "explainer", "fresh", "story", "warm", "music_video", "dramatic");

  /**
   * The palette of a tone: the first word of {@code tone} that names or suggests one ("warm and
   * friendly" is warm, "moody noir" is dramatic), else the default of {@code mode}, else confident.
   * Deterministic, so every scene of a video gets the same palette.
   */
  public static CardPalette forTone(String tone, String mode) {
    if (tone != null) {
      for (String word : tone.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
        String name = KEYWORDS.get(word);
        if (name != null) {
          return PALETTES.get(name);
        }
      }
    }
    return PALETTES.get(MODE_DEFAULTS.getOrDefault(mode, "confident"));
  }

  /** The palette called {@code name}. */
  static CardPalette named(String name) {
    CardPalette palette = PALETTES.get(name);
    if (palette == null) {
      throw new IllegalArgumentException("no palette " + name);
    }
    return palette;
  }
}
