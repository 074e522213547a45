package io.reelflow.safety;

import io.reelflow.embedding.Embedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled sentences of {@code safety/exemplars.tsv} ({@code category<TAB>sentence}) and
 * their vectors, for the embedding stage. Vectors are computed once, on first use or at {@link
 * #warmUp()}; after that {@link #closest} only computes dot products. Thread-safe.
 */
final class Exemplars {

  static final String BENIGN = "benign";

  /** One labelled sentence. */
  record Exemplar(String category, String sentence) {}

  /** The best similarity per category ({@code benign} included) of one prompt. */
  record Similarities(Map<String, Double> best) {

    double benign() {
      return best.getOrDefault(BENIGN, -1.0);
    }

    /** The non-benign category with the highest similarity. */
    Map.Entry<String, Double> top() {
      return best.entrySet().stream()
          .filter(e -> !e.getKey().equals(BENIGN))
          .max(Map.Entry.comparingByValue())
          .orElse(Map.entry(BENIGN, -1.0));
    }
  }

  private final Embedder embedder;
  private final List<Exemplar> exemplars;
  private volatile float[][] vectors;

  Exemplars(Embedder embedder, List<Exemplar> exemplars) {
    this.embedder = embedder;
    this.exemplars = List.copyOf(exemplars);
    for (Exemplar exemplar : exemplars) {
      if (!exemplar.category().equals(BENIGN) && Category.of(exemplar.category()) == null) {
        throw new IllegalStateException("exemplar names no category: " + exemplar.category());
      }
    }
  }

  static List<Exemplar> read(String resource) {
    InputStream in = Exemplars.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("no exemplar resource " + resource);
    }
    List<Exemplar> out = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] row = line.split("\t");
          if (row.length != 2) {
            throw new IllegalStateException("exemplar row needs category and sentence: " + line);
          }
          out.add(new Exemplar(row[0], row[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read exemplars " + resource, e);
    }
    return out;
  }

  /** Computes the exemplar vectors now if not done yet. Idempotent. */
  void warmUp() {
    vectors();
  }

  /** The best similarity of {@code vector} to each category's exemplars. */
  Similarities closest(float[] vector) {
    float[][] all = vectors();
    Map<String, Double> best = new HashMap<>();
    for (int i = 0; i < all.length; i++) {
      best.merge(exemplars.get(i).category(), Embedder.cosine(vector, all[i]), Math::max);
    }
    return new Similarities(best);
  }

  private float[][] vectors() {
    float[][] local = vectors;
    if (local == null) {
      synchronized (this) {
        local = vectors;
        if (local == null) {
          local = new float[exemplars.size()][];
          for (int i = 0; i < local.length; i++) {
            local[i] = embedder.embed(exemplars.get(i).sentence());
          }
          vectors = local;
        }
      }
    }
    return local;
  }
}
