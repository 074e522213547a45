package io.reelflow.embedding;

/**
 * Turns text into a fixed-length vector whose cosine similarity follows meaning.
 *
 * <p>Implementations are thread-safe and deterministic: the same text always gives the same
 * vector. Vectors are L2-normalised, so their dot product is their cosine similarity.
 */
public interface Embedder {

  /**
   * The vector of {@code text}, of length {@link #dimension()}. May block the first time while
   * the model loads; costs milliseconds, so keep it off paths that do not need it.
   */
  float[] embed(String text);

  /** A stable name of the model, stored next to vectors so they are never mixed across models. */
  String model();

  /** Length of every vector this embedder returns. */
  int dimension();

  /** Cosine similarity of two vectors of the same length; 0 when either is all zeros. */
  static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of length " + a.length + " and " + b.length);
    }
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      normA += a[i] * a[i];
      normB += b[i] * b[i];
    }
    return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
  }
}
