package io.reelflow.safety;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code scripts/bench moderation}: CPU time of the local moderator's rule stage per prompt, the
 * stage every submission goes through (an ordinary prompt never reaches the embedding stage, and
 * the embedder here is never called for one). Prompts: the intake benchmark's short ones, a
 * 60-word ad brief, and a 2,000-character brief (the longest allowed). Medians of ROUNDS rounds of
 * ITERATIONS prompts taken in turn from each set (a tenth as many of the long brief), after a
 * warm-up round of the same size.
 */
public final class ModerationBench {

  private ModerationBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    BagOfWordsEmbedder embedder = new BagOfWordsEmbedder();
    LocalModerator moderator = new LocalModerator(embedder);
    String brief = "Create a 30-second ad for a small coffee roaster: open on sunrise over the hills where the"
        + " beans grow, cut to hands sorting cherries, the roaster's drum turning, a barista pouring latte art,"
        + " friends laughing at a window table, and close on the bag with the logo and the line 'Slow mornings,"
        + " bright days'. Warm, hopeful tone, acoustic music, captions on.";
    StringBuilder longBrief = new StringBuilder();
    while (longBrief.length() + brief.length() < 2000) {
      longBrief.append(brief).append(' ');
    }
    String[] products = {"coffee", "running shoes", "tea", "bikes", "bakery", "skin care", "headphones", "pizza"};
    List<String> shortPrompts = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      shortPrompts.add("A 15-second ad for " + products[i % products.length] + ", take 1-" + (1000 + i));
    }
    run("short (intake bench)", moderator, shortPrompts, rounds, iterations);
    run("60-word brief", moderator, List.of(brief), rounds, iterations);
    run("2,000-character brief", moderator, List.of(longBrief.toString().trim()), rounds, iterations / 10);
    if (embedder.calls.get() != 0) {
      throw new IllegalStateException("the embedding stage ran for an ordinary prompt");
    }
  }

  private static void run(String label, LocalModerator moderator, List<String> prompts, int rounds, int iterations) {
    for (String prompt : prompts) {
      if (moderator.moderate(prompt).blocked()) {
        throw new IllegalStateException("an ordinary prompt was blocked: " + prompt);
      }
    }
    measure(moderator, prompts, iterations);
    double[] perPrompt = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      perPrompt[r] = measure(moderator, prompts, iterations);
    }
    Arrays.sort(perPrompt);
    System.out.printf("%-24s %8.1f µs per prompt (median of %d rounds; min %.1f, max %.1f)%n", label,
        perPrompt[rounds / 2], rounds, perPrompt[0], perPrompt[rounds - 1]);
  }

  private static double measure(LocalModerator moderator, List<String> prompts, int iterations) {
    long blocked = 0;
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      blocked += moderator.moderate(prompts.get(i % prompts.size())).blocked() ? 1 : 0;
    }
    long elapsed = System.nanoTime() - start;
    if (blocked != 0) {
      throw new IllegalStateException("blocked " + blocked);
    }
    return elapsed / 1000.0 / iterations;
  }
}
