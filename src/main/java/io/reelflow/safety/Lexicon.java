package io.reelflow.safety;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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

  /** One lexicon phrase: its words, whether the last is a prefix, what it marks, and its row's place. */
  record Entry(Kind kind, String group, List<String> words, boolean prefix, String phrase, int row) {}

  /** A phrase found in a prompt, as the prompt's reduced words. */
  record Hit(Kind kind, String group, String words) {}

  /** Blocks {@code category} when both groups are marked. */
  record Combo(Category category, String first, String second) {}

  static final String MINOR_GROUP = "minor";

  /**
   * A node of the phrase trie, reached by a phrase's leading words: the exact phrases that end
   * here, and the prefix phrases whose last word (a prefix) follows, by that word's first two
   * letters.
   */
  private static final class Node {
    final Map<String, Node> next = new HashMap<>();
    final List<Entry> exact = new ArrayList<>();
    final Map<String, List<Entry>> prefixes = new HashMap<>();
  }

  /** A phrase found at words {@code start..end}. */
  private record Match(Entry entry, int start, int end) {}

  private final Node root = new Node();
  private final List<Combo> combos = new ArrayList<>();
  private int rows;

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
    Entry entry = new Entry(kind, row[1], words, prefix, row[2], rows++);
    int leading = prefix ? words.size() - 1 : words.size();
    Node node = root;
    for (String word : words.subList(0, leading)) {
      node = node.next.computeIfAbsent(word, w -> new Node());
    }
    if (prefix) {
      node.prefixes.computeIfAbsent(head(words.get(leading)), k -> new ArrayList<>()).add(entry);
    } else {
      node.exact.add(entry);
    }
  }

  List<Combo> combos() {
    return combos;
  }

  /**
   * Every block, gray and term phrase in {@code words} that no allow phrase covers, by where it
   * starts (at one word: exact phrases shortest first, then prefix phrases in the lexicon's order,
   * so a verdict's reason names the same phrase as ever).
   */
  List<Hit> match(List<String> words) {
    List<Match> found = find(words);
    boolean[] neutral = new boolean[words.size()];
    for (Match m : found) {
      if (m.entry().kind() == Kind.ALLOW) {
        Arrays.fill(neutral, m.start(), m.end() + 1, true);
      }
    }
    List<Hit> hits = new ArrayList<>();
    for (Match m : found) {
      if (m.entry().kind() != Kind.ALLOW && !covered(neutral, m.start(), m.end())) {
        hits.add(new Hit(m.entry().kind(), m.entry().group(), String.join(" ", words.subList(m.start(), m.end() + 1))));
      }
    }
    return hits;
  }

  /**
   * Every phrase in {@code words}, allow phrases too, in {@link #match}'s order: one walk of the
   * trie from each word finds every phrase that starts there, without building a string per run
   * of words.
   */
  private List<Match> find(List<String> words) {
    String[] heads = words.stream().map(Lexicon::head).toArray(String[]::new);
    List<Match> found = new ArrayList<>();
    List<Match> prefixed = new ArrayList<>();
    for (int start = 0; start < words.size(); start++) {
      Node node = root;
      for (int end = start; end < words.size() && node != null; end++) {
        for (Entry entry : node.prefixes.getOrDefault(heads[end], List.of())) {
          if (words.get(end).startsWith(entry.words().get(entry.words().size() - 1))) {
            prefixed.add(new Match(entry, start, end));
          }
        }
        node = node.next.get(words.get(end));
        for (Entry entry : node == null ? List.<Entry>of() : node.exact) {
          found.add(new Match(entry, start, end));
        }
      }
      prefixed.sort(Comparator.comparingInt(m -> m.entry().row()));
      found.addAll(prefixed);
      prefixed.clear();
    }
    return found;
  }

  private static String head(String word) {
    return word.length() <= 2 ? word : word.substring(0, 2);
  }

  private static boolean covered(boolean[] neutral, int start, int end) {
    for (int i = start; i <= end; i++) {
      if (neutral[i]) {
        return true;
      }
    }
    return false;
  }

}
