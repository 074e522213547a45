package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CardTextTest {

  private static final String NASTY = "Say \"hi\": 100% off; C:\\path {x} [y], a'b\nnext line 😀 ☕ שלום";

  @Test
  void dropsControlCharactersAndEmojiTheFontCannotDrawButKeepsEveryOtherCharacter() {
    assertThat(CardText.clean(NASTY)).isEqualTo("Say \"hi\": 100% off; C:\\path {x} [y], a'b next line ☕ שלום");
  }

  @Test
  void wrapsAtWordBoundariesWithinTheLineWidth() {
    List<String> lines = CardText.wrap("Wake up to the richest coffee you have ever tasted", 11, 4);

    assertThat(lines).containsExactly("Wake up to the", "richest coffee", "you have ever", "tasted");
    assertThat(lines).allSatisfy(line -> assertThat(CardText.ems(line)).isLessThanOrEqualTo(11));
  }

  @Test
  void cutsTextBeyondTheLastLineWithAnEllipsisThatStillFits() {
    List<String> lines = CardText.wrap("one two three four five six seven", 4, 2);

    assertThat(lines).hasSize(2).last().asString().endsWith("…");
    assertThat(lines).allSatisfy(line -> assertThat(CardText.ems(line)).isLessThanOrEqualTo(4));
  }

  @Test
  void cutsAWordWiderThanALine() {
    List<String> lines = CardText.wrap("Supercalifragilistic", 5, 9);

    assertThat(lines).hasSizeGreaterThan(2).allSatisfy(l -> assertThat(CardText.ems(l)).isLessThanOrEqualTo(5));
    assertThat(String.join("", lines)).isEqualTo("Supercalifragilistic");
  }

  @Test
  void estimatesWidthAsAnUpperBoundOfTheFont() {
    assertThat(CardText.ems("WWW")).isGreaterThanOrEqualTo(3 * 1.103);
    assertThat(CardText.ems("Ready for something better?")).isBetween(27 * 0.60, 27 * 0.75);
    assertThat(CardText.ems("iiii")).isLessThan(CardText.ems("mmmm"));
  }

  @Test
  void knowsRightToLeftTextByItsFirstStrongLetter() {
    assertThat(CardText.rightToLeft("שלום world")).isTrue();
    assertThat(CardText.rightToLeft("100% مرحبا")).isTrue();
    assertThat(CardText.rightToLeft("Hello שלום")).isFalse();
    assertThat(CardText.rightToLeft("100%")).isFalse();
  }

  @Test
  void marksRightToLeftLinesSoDrawtextKeepsTheirPunctuationOnTheirSide() {
    assertThat(CardText.forDrawtext("שלום!")).isEqualTo("\u200fשלום!\u200f");
    assertThat(CardText.forDrawtext("Hello!")).isEqualTo("Hello!");
  }
}
