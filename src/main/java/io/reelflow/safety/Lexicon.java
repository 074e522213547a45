package io.reelflow.safety;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The phrase lists of {@code safety/lexicon.tsv}, matched on whole words of a {@link PromptText}.
 *
 * <p>Rows are {@code kind<TAB>group<TAB>phrase}: {@code allow} phrases neutralise their words
 * first ("killer deal", "photo shoot"); then {@code block} phrases decide at once, {@code gray}
 * phrases send the prompt to the embedding stage, and {@code term} phrases only mark a group.
 * {@code combo} rows ({@code combo<TAB>category<TAB>groupA+groupB}) block when a prompt marks
 * both groups, e.g. a sexual word with a minor word. A phrase ending in {@code *} matches any
 * word starting with its last word. Immutable and thread-safe once loaded.
 */
final class Lexicon {

  enum Kind { ALLOW, BLOCK, GRAY, TERM }

  /** One lexicon phrase: its words, whether the last is a prefix, and what it marks. */
  record Entry(Kind kind, String group, List<String> words, boolean prefix, String phrase) {}

  /** A phrase found in a prompt, as the prompt's reduced words. */
  record Hit(Kind kind, String group, String words) {}

  /** Blocks {@code category} when both groups are marked. */
  record Combo(Category category, String first, String second) {}

  static final String MINOR_GROUP = "minor";

  private final Map<String, List<Entry>> exact = new HashMap<>();
  /** Prefix entries by the first two letters of their first word: each word checks only a few. */
  private final Map<String, List<Entry>> prefixes = new HashMap<>();
  private final List<Combo> combos = new ArrayList<>();
  private int longest = 1;

  static Lexicon load(String resource) {
    InputStream in = Lexicon.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("no lexicon resource " + resource);
    }
    Lexicon lexicon = new Lexicon();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lexicon.add(line.split("\t"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lexicon " + resource, e);
    }
    return lexicon;
  }

  private void add(String[] row) {
    if (row.length != 3) {
      throw new IllegalStateException("lexicon row needs kind, group and phrase: " + String.join("|", row));
    }
    if (row[0].equals("combo")) {
      String[] groups = row[2].split("\\+");
      combos.add(new Combo(Category.valueOf(row[1].toUpperCase(Locale.ROOT)), groups[0], groups[1]));
      return;
    }
    Kind kind = Kind.valueOf(row[0].toUpperCase(Locale.ROOT));
    if (kind == Kind.BLOCK && Category.of(row[1]) == null) {
      throw new IllegalStateException("block row names no category: " + row[1]);
    }
    boolean prefix = row[2].endsWith("*");
    List<String> words = PromptText.words(prefix ? row[2].substring(0, row[2].length() - 1) : row[2]);
    if (words.isEmpty() || (prefix && words.get(words.size() - 1).length() < 3)) {
      throw new IllegalStateException("lexicon phrase too short: " + row[2]);
    }
    Entry entry = new Entry(kind, row[1], words, prefix, row[2]);
    longest = Math.max(longest, words.size());
    if (prefix) {
      prefixes.computeIfAbsent(head(words.get(0)), k -> new ArrayList<>()).add(entry);
    } else {
      exact.computeIfAbsent(String.join(" ", words), k -> new ArrayList<>()).add(entry);
    }
  }

  List<Combo> combos() {
    return combos;
  }

  /** Every block, gray and term phrase in {@code words} that no allow phrase covers. */
  List<Hit> match(List<String> words) {
    boolean[] neutral = new boolean[words.size()];
    scan(words, neutral, true, new ArrayList<>());
    List<Hit> hits = new ArrayList<>();
    scan(words, neutral, false, hits);
    return hits;
  }

  private void scan(List<String> words, boolean[] neutral, boolean allowPass, List<Hit> hits) {
    for (int start = 0; start < words.size(); start++) {
      StringBuilder key = new StringBuilder();
      for (int end = start; end < Math.min(words.size(), start + longest); end++) {
        key.append(end > start ? " " : "").append(words.get(end));
        for (Entry entry : exact.getOrDefault(key.toString(), List.of())) {
          record(entry, words, start, end, neutral, allowPass, hits);
        }
      }
      for (Entry entry : prefixes.getOrDefault(head(words.get(start)), List.of())) {
        if (matchesPrefix(entry, words, start)) {
          record(entry, words, start, start + entry.words().size() - 1, neutral, allowPass, hits);
        }
      }
    }
  }

  private static String head(String word) {
    return word.length() <= 2 ? word : word.substring(0, 2);
  }

  private static boolean matchesPrefix(Entry entry, List<String> words, int start) {
    int n = entry.words().size();
    if (start + n > words.size()) {
      return false;
    }
    for (int i = 0; i < n - 1; i++) {
      if (!words.get(start + i).equals(entry.words().get(i))) {
        return false;
      }
    }
    return words.get(start + n - 1).startsWith(entry.words().get(n - 1));
  }

  private static void record(
      Entry entry, List<String> words, int start, int end, boolean[] neutral, boolean allowPass, List<Hit> hits) {
    if (allowPass) {
      if (entry.kind() == Kind.ALLOW) {
        Arrays.fill(neutral, start, end + 1, true);
      }
      return;
    }
    if (entry.kind() == Kind.ALLOW) {
      return;
    }
    for (int i = start; i <= end; i++) {
      if (neutral[i]) {
        return;
      }
    }
    hits.add(new Hit(entry.kind(), entry.group(), String.join(" ", words.subList(start, end + 1))));
  }
}
