package io.reelflow.safety;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt reduced to the words a lexicon can match: Unicode NFKC, lower case, accents dropped,
 * simple leetspeak undone inside words ({@code p0rn}, {@code n@ked}, {@code $ex}, {@code k!ll})
 * and spelled-out letters joined ({@code p o r n}). Punctuation and whitespace only separate
 * words. Lexicon phrases go through the same reduction, so both sides always agree.
 */
final class PromptText {

  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern INNER_I = Pattern.compile("(?<=\\p{L})[!|](?=\\p{L})");
  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}@$]+");
  private static final Pattern MINOR_AGE =
      Pattern.compile(
          "\\b(\\d{1,2})\\s*(?:-|\\s)?\\s*(?:years?|yrs?)\\s*(?:-|\\s)?\\s*old\\b"
              + "|\\b(\\d{1,2})\\s*(?:yo|y/o|y\\.o\\.)(?=\\W|$)"
              + "|\\baged?\\s+(\\d{1,2})\\b");
  private static final int ADULT_AGE = 18;

  private PromptText() {}

  /** The words of {@code text} after reduction, in order. */
  static List<String> words(String text) {
    String reduced = INNER_I.matcher(folded(text)).replaceAll("i");
    List<String> words = new ArrayList<>();
    for (String raw : SEPARATORS.split(reduced)) {
      String word = unleet(raw);
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return joinSpelledOut(words);
  }

  /** The reduced text: its words joined by single spaces. */
  static String normalise(String text) {
    return String.join(" ", words(text));
  }

  /** True when the text states an age under eighteen ("12 year old", "15yo", "aged 9"). */
  static boolean statesMinorAge(String text) {
    if (text.chars().noneMatch(c -> c >= '0' && c <= '9' || c >= 0x80)) {
      return false; // every stated age has digits, and only a non-ASCII character can fold into one
    }
    Matcher matcher = MINOR_AGE.matcher(folded(text));
    while (matcher.find()) {
      for (int group = 1; group <= matcher.groupCount(); group++) {
        if (matcher.group(group) != null && Integer.parseInt(matcher.group(group)) < ADULT_AGE) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * NFKC, lower case, combining marks dropped. A text of ASCII alone is its own NFKC and NFD form
   * and has no marks, so lower case is all it needs (most prompts: a third of their reduction).
   */
  private static String folded(String text) {
    if (text.chars().allMatch(c -> c < 0x80)) {
      return text.toLowerCase(Locale.ROOT);
    }
    String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return MARKS.matcher(Normalizer.normalize(compatible, Normalizer.Form.NFD)).replaceAll("");
  }

  /** Digits and symbols read as letters, but only in words that also have letters. */
  static String unleet(String word) {
    boolean letters = word.chars().anyMatch(Character::isLetter);
    StringBuilder out = new StringBuilder(word.length());
    for (char c : word.toCharArray()) {
      if (!letters) {
        if (c != '@' && c != '$') {
          out.append(c);
        }
        continue;
      }
      out.append(switch (c) {
        case '0' -> 'o';
        case '1' -> 'i';
        case '3' -> 'e';
        case '4', '@' -> 'a';
        case '5', '$' -> 's';
        case '7' -> 't';
        default -> c;
      });
    }
    return out.toString();
  }

  /**
   * Runs of three or more single letters become one word: "n a k e d" reads "naked". A leading
   * "a" or "i" stays a word of its own ("a p o r n video").
   */
  private static List<String> joinSpelledOut(List<String> words) {
    List<String> out = new ArrayList<>(words.size());
    int i = 0;
    while (i < words.size()) {
      int end = i;
      while (end < words.size() && singleLetter(words.get(end))) {
        end++;
      }
      if (end - i >= 4 && (words.get(i).equals("a") || words.get(i).equals("i"))) {
        out.add(words.get(i++));
      }
      if (end - i >= 3) {
        out.add(String.join("", words.subList(i, end)));
        i = end;
      } else {
        out.add(words.get(i++));
      }
    }
    return out;
  }

  private static boolean singleLetter(String word) {
    return word.length() == 1 && Character.isLetter(word.charAt(0));
  }
}
