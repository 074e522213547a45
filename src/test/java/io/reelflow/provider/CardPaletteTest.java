package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CardPaletteTest {

  @Test
  void everyToneThePlannerKnowsHasItsOwnPalette() {
    assertThat(CardPalette.forTone("warm", "ad").name()).isEqualTo("warm");
    assertThat(CardPalette.forTone("energetic", "ad").name()).isEqualTo("energetic");
    assertThat(CardPalette.forTone("upbeat", "ad").name()).isEqualTo("energetic");
    assertThat(CardPalette.forTone("calm", "ad").name()).isEqualTo("calm");
    assertThat(CardPalette.forTone("luxury", "ad").name()).isEqualTo("luxury");
    assertThat(CardPalette.forTone("luxurious", "ad").name()).isEqualTo("luxury");
    assertThat(CardPalette.forTone("playful", "ad").name()).isEqualTo("playful");
    assertThat(CardPalette.forTone("fun", "ad").name()).isEqualTo("playful");
    assertThat(CardPalette.forTone("serious", "ad").name()).isEqualTo("confident");
    assertThat(CardPalette.forTone("dramatic", "ad").name()).isEqualTo("dramatic");
    assertThat(CardPalette.forTone("fresh", "ad").name()).isEqualTo("fresh");
  }

  @Test
  void aFreeFormToneIsReadByItsFirstKnownWord() {
    assertThat(CardPalette.forTone("Cozy, friendly and a bit dark", "ad").name()).isEqualTo("warm");
    assertThat(CardPalette.forTone("moody NOIR", "ad").name()).isEqualTo("dramatic");
    assertThat(CardPalette.forTone("super-elegant", "ad").name()).isEqualTo("luxury");
  }

  @Test
  void anUnknownOrMissingToneFallsBackToTheModesDefault() {
    assertThat(CardPalette.forTone("zesty", "explainer").name()).isEqualTo("fresh");
    assertThat(CardPalette.forTone(null, "story").name()).isEqualTo("warm");
    assertThat(CardPalette.forTone("", "music_video").name()).isEqualTo("dramatic");
    assertThat(CardPalette.forTone(null, "ad").name()).isEqualTo("confident");
    assertThat(CardPalette.forTone(null, "something new").name()).isEqualTo("confident");
  }

  @Test
  void palettesAreDistinctAndWellFormed() {
    List<CardPalette> all = List.of("warm", "energetic", "calm", "luxury", "playful", "confident", "dramatic", "fresh")
        .stream().map(CardPalette::named).toList();

    assertThat(all).extracting(CardPalette::from).doesNotHaveDuplicates();
    assertThat(all).flatExtracting(p -> List.of(p.from(), p.to(), p.accent(), p.text()))
        .allMatch(c -> c.matches("0x[0-9a-f]{6}"));
  }
}
