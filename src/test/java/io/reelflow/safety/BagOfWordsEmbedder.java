package io.reelflow.safety;

import io.reelflow.embedding.Embedder;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake embedder for unit tests: hashed bag of words, and a count of every call. */
class BagOfWordsEmbedder implements Embedder {

  private static final int DIMENSION = 1024;

  final AtomicInteger calls = new AtomicInteger();

  @Override
  public float[] embed(String text) {
    calls.incrementAndGet();
    float[] vector = new float[DIMENSION];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        vector[Math.floorMod(word.hashCode(), DIMENSION)] += 1;
      }
    }
    return vector;
  }

  @Override
  public String model() {
    return "bag-of-words";
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }
}
