package io.reelflow.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LocalEmbedderTest {

  private static final LocalEmbedder embedder = new LocalEmbedder();

  @Test
  void givesUnitLengthVectorsOfThreeHundredEightyFourDimensions() {
    float[] vector = embedder.embed("A steaming cup of coffee on a wooden table");

    assertThat(vector).hasSize(384);
    assertThat(embedder.dimension()).isEqualTo(384);
    assertThat(embedder.model()).isEqualTo("all-minilm-l6-v2-q");
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void similarSentencesScoreHigherThanUnrelatedOnes() {
    float[] coffee = embedder.embed("A 30-second ad for a coffee brand");
    float[] espresso = embedder.embed("A short commercial for our espresso beans");
    float[] tax = embedder.embed("Quarterly tax filing deadlines for small businesses");

    assertThat(Embedder.cosine(coffee, espresso)).isGreaterThan(Embedder.cosine(coffee, tax) + 0.2);
  }

  @Test
  void theSameTextAlwaysGivesTheIdenticalVector() {
    assertThat(embedder.embed("Sunset over the beach resort"))
        .containsExactly(embedder.embed("Sunset over the beach resort"));
  }

  @Test
  void embedsFromManyThreadsAtOnce() {
    List<String> texts = List.of("running shoes", "a cooking show", "a city at night", "fresh bread");
    List<CompletableFuture<float[]>> futures =
        texts.stream().map(t -> CompletableFuture.supplyAsync(() -> embedder.embed(t))).toList();

    for (int i = 0; i < texts.size(); i++) {
      assertThat(futures.get(i).join()).containsExactly(embedder.embed(texts.get(i)));
    }
  }

  @Test
  void loadingTwiceStartsOneLoader() {
    LocalEmbedder fresh = new LocalEmbedder();
    fresh.load();
    fresh.load();

    assertThat(fresh.embed("bread")).hasSize(384);
    assertThat(fresh.ready()).isTrue();
  }
}
