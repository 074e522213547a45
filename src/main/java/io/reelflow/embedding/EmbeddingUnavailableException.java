package io.reelflow.embedding;

/** The embedding model gave no usable vector (unreachable, refused, malformed, circuit open). */
public class EmbeddingUnavailableException extends RuntimeException {

  public EmbeddingUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
