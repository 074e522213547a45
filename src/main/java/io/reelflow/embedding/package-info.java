/**
 * Text embeddings: the {@link io.reelflow.embedding.Embedder} contract and the in-process
 * quantized all-MiniLM-L6-v2 model behind it. Owns model loading; knows nothing of what the
 * vectors are used for.
 */
package io.reelflow.embedding;
