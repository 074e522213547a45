package io.reelflow.safety;

import io.reelflow.embedding.Embedder;
import io.reelflow.embedding.LocalEmbedder;
import io.reelflow.safety.Lexicon.Combo;
import io.reelflow.safety.Lexicon.Hit;
import io.reelflow.safety.Lexicon.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * In-process moderation as a cascade, cheapest first.
 *
 * <p>Rules: the prompt's words ({@link PromptText}) are matched against {@code
 * safety/lexicon.tsv}. Ordinary ad language ("killer deal", "photo shoot") is cleared first; a
 * block phrase or a categorical combination (a sexual word with a minor word, a real person's name
 * with "endorsing") decides at once. A prompt with no sensitive word left is allowed here, without
 * ever being embedded: that keeps the common case at microseconds.
 *
 * <p>Embeddings: only a gray-zone prompt (a sensitive word that no rule settles, such as "gun" or
 * "naked") is embedded and compared with the exemplar sentences of {@code safety/exemplars.tsv}.
 * It is blocked when its best category similarity reaches the threshold and beats its best
 * similarity to the ordinary-ad exemplars by the margin, so "a bomb summer sale" passes while "a
 * man stabs his neighbour, blood on the floor" does not.
 *
 * <p>Thread-safe and deterministic.
 */
@Component("localModerator")
public class LocalModerator implements Moderator {

  static final double DEFAULT_THRESHOLD = 0.40;
  static final double DEFAULT_MARGIN = 0.08;

  private static final Logger log = LoggerFactory.getLogger(LocalModerator.class);

  private final Embedder embedder;
  private final Lexicon lexicon;
  private final Exemplars exemplars;
  private final double threshold;
  private final double margin;

  /** The in-process model, whatever the cache uses: the thresholds were calibrated on it. */
  @Autowired
  LocalModerator(LocalEmbedder embedder, ModerationSettings settings) {
    this(embedder, settings.similarityThreshold(), settings.benignMargin());
  }

  /** With the default threshold and margin. */
  public LocalModerator(Embedder embedder) {
    this(embedder, DEFAULT_THRESHOLD, DEFAULT_MARGIN);
  }

  /** With the shipped lexicon and exemplars and the given threshold and margin. */
  public LocalModerator(Embedder embedder, double threshold, double margin) {
    this(embedder, Lexicon.load("safety/lexicon.tsv"),
        new Exemplars(embedder, Exemplars.read("safety/exemplars.tsv")), threshold, margin);
  }

  LocalModerator(Embedder embedder, Lexicon lexicon, Exemplars exemplars, double threshold, double margin) {
    this.embedder = embedder;
    this.lexicon = lexicon;
    this.exemplars = exemplars;
    this.threshold = threshold;
    this.margin = margin;
  }

  /** Embeds the exemplar sentences in the background once the application is up. */
  @EventListener(ApplicationReadyEvent.class)
  public void warmUp() {
    Thread warm = new Thread(() -> {
      try {
        exemplars.warmUp();
      } catch (RuntimeException e) {
        log.warn("moderation exemplars not embedded yet: {}", e.getMessage());
      }
    }, "moderation-warm-up");
    warm.setDaemon(true);
    warm.start();
  }

  @Override
  public ModerationVerdict moderate(String prompt) {
    List<String> words = PromptText.words(prompt);
    List<Hit> hits = hits(prompt, words);
    ModerationVerdict ruled = ruled(hits);
    if (ruled != null) {
      return ruled;
    }
    return hits.stream()
        .filter(hit -> hit.kind() == Kind.GRAY)
        .findFirst()
        .map(gray -> byEmbedding(String.join(" ", words), gray.words()))
        .orElseGet(() -> ModerationVerdict.allowed(0, ModerationVerdict.RULES, "no sensitive terms"));
  }

  /**
   * The rules alone, never the embedding stage: blocked when a rule decides, else allowed. For a
   * cheap first pass in front of a remote moderator.
   */
  public ModerationVerdict screen(String prompt) {
    ModerationVerdict ruled = ruled(hits(prompt, PromptText.words(prompt)));
    return ruled != null ? ruled : ModerationVerdict.allowed(0, ModerationVerdict.RULES, "no rule matched");
  }

  private List<Hit> hits(String prompt, List<String> words) {
    List<Hit> hits = new ArrayList<>(lexicon.match(words));
    if (PromptText.statesMinorAge(prompt)) {
      hits.add(new Hit(Kind.TERM, Lexicon.MINOR_GROUP, "an age under 18"));
    }
    return hits;
  }

  /** The most serious block or combination among {@code hits}; null when none applies. */
  private ModerationVerdict ruled(List<Hit> hits) {
    Category worst = null;
    String reason = null;
    Map<String, String> groups = new HashMap<>();
    for (Hit hit : hits) {
      groups.putIfAbsent(hit.group(), hit.words());
      Category category = hit.kind() == Kind.BLOCK ? Category.of(hit.group()) : null;
      if (category != null && (worst == null || category.compareTo(worst) < 0)) {
        worst = category;
        reason = "matched \"" + hit.words() + "\"";
      }
    }
    for (Combo combo : lexicon.combos()) {
      String first = groups.get(combo.first());
      String second = groups.get(combo.second());
      if (first != null && second != null && (worst == null || combo.category().compareTo(worst) < 0)) {
        worst = combo.category();
        reason = "matched \"" + first + "\" with \"" + second + "\"";
      }
    }
    return worst == null ? null : ModerationVerdict.blocked(worst.code(), 1.0, ModerationVerdict.RULES, reason);
  }

  private ModerationVerdict byEmbedding(String text, String grayWords) {
    Exemplars.Similarities similarities;
    try {
      similarities = exemplars.closest(embedder.embed(text));
    } catch (RuntimeException e) {
      log.error("moderation embedding stage failed", e);
      throw new ModerationUnavailableException("the embedding stage of moderation cannot run; try again later");
    }
    Map.Entry<String, Double> top = similarities.top();
    double lead = top.getValue() - similarities.benign();
    if (top.getValue() >= threshold && lead >= margin) {
      return ModerationVerdict.blocked(top.getKey(), top.getValue(), ModerationVerdict.EMBEDDING,
          String.format(Locale.ROOT, "\"%s\" reads like %s (%.2f)", grayWords, top.getKey(), top.getValue()));
    }
    return ModerationVerdict.allowed(Math.max(0, top.getValue()), ModerationVerdict.EMBEDDING,
        String.format(Locale.ROOT, "\"%s\" reads as ordinary use (%.2f)", grayWords, top.getValue()));
  }
}
