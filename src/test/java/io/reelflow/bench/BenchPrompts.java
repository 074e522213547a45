package io.reelflow.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Ad prompts for {@link CacheBench}: formats × products × tones × settings ("a 30-second ad for an
 * oat-milk latte, warm tone, morning kitchen"), a held-out paraphrase of each in other words, and
 * prompts unlike any of them (explainers and stories about other subjects).
 */
final class BenchPrompts {

  /** One combination of the four parts. */
  record Ad(int format, int product, int tone, int setting) {

    /** The stored wording. */
    String text() {
      return FORMATS.get(format) + " " + PRODUCTS.get(product) + ", " + TONES.get(tone) + " tone, "
          + SETTINGS.get(setting);
    }

    /** The same request in other words: never one of the stored texts. */
    String paraphrase(Random random) {
      String f = FORMAT_PARAPHRASES.get(format);
      String p = PRODUCTS.get(product);
      String t = TONES.get(tone);
      String s = SETTINGS.get(setting);
      return switch (random.nextInt(3)) {
        case 0 -> f + " " + p + " with a " + t + " feel, scene: " + s;
        case 1 -> s + " - " + f + " " + p + ", " + t + " style";
        default -> "please make " + f + " " + p + ", keep it " + t + ", location " + s;
      };
    }
  }

  static final List<String> FORMATS = List.of("a 15-second ad for", "a 30-second ad for", "a 60-second spot for",
      "a vertical social ad for", "a product demo video for", "a launch teaser for");
  static final List<String> FORMAT_PARAPHRASES = List.of("a fifteen second commercial for",
      "a half-minute commercial for", "a one-minute commercial for", "a 9:16 story ad promoting",
      "a video demonstrating", "a teaser announcing the launch of");
  static final List<String> PRODUCTS = List.of("an oat-milk latte", "trail running shoes", "a budgeting app",
      "a family suv", "a vegan protein bar", "noise-cancelling headphones", "a boutique hotel in lisbon",
      "a dental clinic", "an electric toothbrush", "a yoga studio", "a craft brewery's ipa", "a kids' coding camp",
      "a home solar battery", "a sparkling water brand", "a dog food subscription", "a language learning app",
      "a mechanical keyboard", "a vitamin c skincare serum", "a sourdough bakery", "a ski resort",
      "an electric scooter", "a meal-kit delivery service", "a smart thermostat", "a hiking backpack",
      "an online chess course", "a cold brew coffee can", "a pet insurance plan", "a wedding photographer",
      "a bamboo toothbrush", "a gaming laptop", "a organic baby food pouch", "a car wash chain", "a running watch",
      "a co-working space", "a local pizza place", "a cycling helmet", "an accounting firm", "a matcha powder",
      "a wireless earbud case", "a mattress in a box", "a vintage clothing shop", "a password manager",
      "a camping stove", "a hair salon", "a protein shake", "a florist's same-day delivery", "a rooftop restaurant",
      "an e-reader", "a podcast microphone", "a sunscreen stick");
  static final List<String> TONES = List.of("warm", "energetic", "playful", "calm", "luxurious", "nostalgic", "bold",
      "minimalist", "humorous", "heartfelt", "cinematic", "upbeat");
  static final List<String> SETTINGS = List.of("morning kitchen", "rainy city street", "mountain trail at dawn",
      "sunlit office", "beach at sunset", "cozy living room", "neon-lit night market", "snowy cabin",
      "rooftop party", "university campus", "farmers market", "home gym", "desert highway", "small-town diner",
      "subway platform", "backyard barbecue");

  private static final List<String> TOPICS = List.of("photosynthesis", "compound interest", "how vaccines train the"
      + " immune system", "black holes", "the water cycle", "how a bill becomes law", "sourdough fermentation",
      "blockchain consensus", "the french revolution", "plate tectonics", "how wifi works", "the stock market",
      "recycling plastics", "sleep cycles", "how airplanes fly", "the roman aqueducts", "volcanoes", "dna replication");
  private static final List<String> CHARACTERS = List.of("a lighthouse keeper", "a retired astronaut", "a shy robot",
      "two rival chefs", "a girl and her grandfather", "a lost penguin", "a street violinist", "a night-shift nurse",
      "a stray cat", "a young inventor", "an old fisherman", "a marching band");
  private static final List<String> EVENTS = List.of("finds a message in a bottle", "learns to dance",
      "moves to a new city", "loses a map", "builds a boat", "meets a ghost", "wins a contest", "plants a garden",
      "misses the last train", "forgets a birthday");

  private BenchPrompts() {}

  /** {@code count} distinct ads, drawn with {@code random}. */
  static List<Ad> distinctAds(int count, Random random) {
    Set<Ad> ads = new LinkedHashSet<>();
    while (ads.size() < count) {
      ads.add(new Ad(random.nextInt(FORMATS.size()), random.nextInt(PRODUCTS.size()), random.nextInt(TONES.size()),
          random.nextInt(SETTINGS.size())));
    }
    return new ArrayList<>(ads);
  }

  /** A prompt far from every ad: an explainer or a short story. */
  static String unrelated(Random random) {
    return random.nextBoolean()
        ? "explain " + TOPICS.get(random.nextInt(TOPICS.size())) + " in " + (3 + random.nextInt(5)) + " simple steps"
        : "a short story about " + CHARACTERS.get(random.nextInt(CHARACTERS.size())) + " who "
            + EVENTS.get(random.nextInt(EVENTS.size()));
  }
}
