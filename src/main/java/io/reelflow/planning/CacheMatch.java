package io.reelflow.planning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether two prompts ask for the same video, given their embeddings' cosine similarity. A
 * sentence embedding is good at "reworded" and poor at the one word that changes the order: "30
 * seconds" and "15 seconds", "with music" and "without music" sit close together. So a hit needs
 * the similarity at or above the threshold and the same requirements that embeddings blur: the
 * same numbers (digits and number words) and the same negated words.
 */
final class CacheMatch {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
  private static final Map<String, String> NUMBER_WORDS = Map.ofEntries(
      Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"), Map.entry("four", "4"),
      Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"),
      Map.entry("nine", "9"), Map.entry("ten", "10"), Map.entry("eleven", "11"), Map.entry("twelve", "12"),
      Map.entry("fifteen", "15"), Map.entry("twenty", "20"), Map.entry("thirty", "30"), Map.entry("forty", "40"),
      Map.entry("fifty", "50"), Map.entry("sixty", "60"), Map.entry("ninety", "90"), Map.entry("hundred", "100"),
      Map.entry("half", "0.5"));
  private static final Set<String> NEGATIONS = Set.of("no", "not", "without", "never", "none", "nothing", "non",
      "don't", "dont", "doesn't", "isn't", "aren't", "can't", "won't", "nor");

  private CacheMatch() {}

  /** How alike two single words are (cosine of their embeddings). */
  interface WordSimilarity {
    double of(String a, String b);
  }

  private static final Set<String> FILLER = Set.of("a", "an", "the", "for", "of", "to", "and", "with", "in", "on",
      "at", "by", "from", "our", "my", "your", "their", "its", "it", "is", "that", "this", "me", "i", "we", "us",
      "you", "please", "kindly", "could", "would", "can", "make", "create", "need", "want", "just", "some",
      "being", "made", "meant", "which", "who", "as", "be", "are", "has", "have", "one", "video", "short", "new",
      "tone", "about", "showing", "show", "featuring", "s", "ad", "advertisement", "commercial", "promo",
      "promotional", "spot", "clip", "product", "brand", "company", "aimed", "targeted", "thanks", "thank",
      "hey", "hello", "generate", "i'd", "like", "go", "ahead", "put", "together", "should", "so", "do", "does",
      "purpose", "goal", "simply", "kind", "whose", "feel", "vibe", "long", "sec", "secs", "second", "seconds",
      "minute", "minutes", "style", "form", "level", "version", "there", "here", "all", "very", "really", "will",
      "let", "lets", "let's", "get", "got", "using", "use", "used", "also", "into", "then", "than", "type",
      "something", "piece", "content", "film", "movie", "advert", "advertising", "advertise", "promote",
      "promoting", "promotes", "marketing", "campaign", "it's", "i'm", "we're", "we'd", "please,");

  /**
   * Whether prompts {@code a} and {@code b}, {@code similarity} apart, ask for the same video: the
   * sentences at least {@code threshold} alike, the same numbers and negations, and every content
   * word of each present in the other or matched there by a word at least {@code wordThreshold}
   * alike (a synonym: "cup" and "mug"; not "sunset" and "sunrise", "spanish" and "french").
   */
  static boolean same(String a, String b, double similarity, double threshold, WordSimilarity words,
      double wordThreshold) {
    if (similarity < threshold || !sameRequirements(a, b)) {
      return false;
    }
    Set<String> contentA = content(a);
    Set<String> contentB = content(b);
    return covered(contentA, contentB, words, wordThreshold) && covered(contentB, contentA, words, wordThreshold);
  }

  private static boolean covered(Set<String> from, Set<String> in, WordSimilarity words, double wordThreshold) {
    for (String word : from) {
      if (!in.contains(word) && in.stream().noneMatch(other -> sameStem(word, other)
          || words.of(word, other) >= wordThreshold)) {
        return false;
      }
    }
    return true;
  }

  /** "bank" and "banking", "teaser" and "teasing": one starts the other, or both share five letters. */
  private static boolean sameStem(String a, String b) {
    int common = 0;
    while (common < Math.min(a.length(), b.length()) && a.charAt(common) == b.charAt(common)) {
      common++;
    }
    return (common >= 4 && common == Math.min(a.length(), b.length())) || common >= 5;
  }

  /** Content words, a trailing plural "s" dropped. */
  static Set<String> content(String text) {
    Set<String> content = new TreeSet<>();
    for (String word : words(text, true)) {
      String w = word.endsWith("'s") ? word.substring(0, word.length() - 2) : word;
      if (!FILLER.contains(w) && !NEGATIONS.contains(w) && w.chars().noneMatch(Character::isDigit)
          && !NUMBER_WORDS.containsKey(w)) {
        content.add(w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w);
      }
    }
    return content;
  }

  /** The same numbers and the same negated words. */
  static boolean sameRequirements(String a, String b) {
    List<String> wordsA = words(a);
    List<String> wordsB = words(b);
    return numbers(wordsA).equals(numbers(wordsB)) && negated(wordsA).equals(negated(wordsB));
  }

  static List<String> words(String text) {
    return words(text, false);
  }

  /** Lower-case words; {@code joinHyphens} makes "wi-fi" and "wifi" one word. */
  static List<String> words(String text, boolean joinHyphens) {
    List<String> words = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT).replace('’', '\'');
    Matcher m = WORD.matcher(joinHyphens ? lower.replaceAll("(?<=\\p{L})-(?=\\p{L})", "") : lower);
    while (m.find()) {
      words.add(m.group());
    }
    return words;
  }

  /** Numbers as digits ("30-sec" and "thirty seconds" both give 30); "a minute" counts as 60. */
  private static Set<String> numbers(List<String> words) {
    Set<String> numbers = new TreeSet<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.chars().anyMatch(Character::isDigit)) {
        numbers.add(w.replaceAll("\\D+", " ").strip().replaceAll(" +", "."));
      } else if (NUMBER_WORDS.containsKey(w)) {
        numbers.add(NUMBER_WORDS.get(w));
      } else if (w.equals("minute") && i > 0 && (words.get(i - 1).equals("a") || words.get(i - 1).equals("one"))) {
        numbers.add("60");
      }
    }
    numbers.remove("1");
    return numbers;
  }

  /** The word after each negation ("without music" gives music). */
  private static Set<String> negated(List<String> words) {
    Set<String> negated = new TreeSet<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (NEGATIONS.contains(w) && i + 1 < words.size()) {
        negated.add(words.get(i + 1));
      }
    }
    return negated;
  }
}
