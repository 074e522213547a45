package io.reelflow.safety;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptTextTest {

  @Test
  void lowersCaseFoldsWidthAndAccentsAndCollapsesWhitespace() {
    assertThat(PromptText.normalise("  Ａ  Café\tAD\n for  BEYONCÉ ")).isEqualTo("a cafe ad for beyonce");
  }

  @Test
  void undoesLeetspeakInsideWords() {
    assertThat(PromptText.normalise("p0rn n@ked $ex k!ll h1tl3r m0l0t0v")).isEqualTo("porn naked sex kill hitler molotov");
  }

  @Test
  void leavesPlainNumbersAndPricesAlone() {
    assertThat(PromptText.normalise("a 30-sec ad, $5 off, 50% today!")).isEqualTo("a 30 sec ad 5 off 50 today");
  }

  @Test
  void joinsLettersSpelledOutOneByOne() {
    assertThat(PromptText.normalise("a p o r n video, n.a.k.e.d")).isEqualTo("a porn video naked");
  }

  @Test
  void findsStatedAgesUnderEighteen() {
    assertThat(PromptText.statesMinorAge("a 14 year old girl")).isTrue();
    assertThat(PromptText.statesMinorAge("a 12-year-old boy")).isTrue();
    assertThat(PromptText.statesMinorAge("she is 15yo")).isTrue();
    assertThat(PromptText.statesMinorAge("aged 9")).isTrue();
    assertThat(PromptText.statesMinorAge("a 25 year old runner")).isFalse();
    assertThat(PromptText.statesMinorAge("a 30-sec ad for 12 products")).isFalse();
  }

  @Test
  void findsAnAgeWrittenWithDigitsThatOnlyFoldingMakesAscii() {
    // The age check skips a text without an ASCII digit only when it is all ASCII: these have none.
    assertThat(PromptText.statesMinorAge("aged \u00b9\u00b2")).as("superscript digits").isTrue();
    assertThat(PromptText.statesMinorAge("a \uff11\uff14 year old girl")).as("full-width digits").isTrue();
    assertThat(PromptText.statesMinorAge("a fourteen year old girl")).as("no digits at all").isFalse();
  }

  @Test
  void foldsAnAsciiTextAsTheFullNormalisationWould() {
    assertThat(PromptText.normalise("A Killer DEAL, 50% OFF")).isEqualTo(PromptText.normalise("A Killer DEAL, 50% OFF\u00a0"))
        .isEqualTo("a killer deal 50 off");
  }
}
