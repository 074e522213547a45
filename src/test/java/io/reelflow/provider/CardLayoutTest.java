package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.reelflow.provider.CardLayout.Align;
import io.reelflow.provider.CardLayout.Box;
import io.reelflow.provider.CardLayout.Headline;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardLayoutTest {

  private static final String SHORT = "Introducing Acme Coffee";
  private static final String LONG =
      "Wake up to the richest, boldest, most unmistakable coffee you have ever tasted, roasted every morning";

  private static final CardLayout LANDSCAPE = new CardLayout(1280, 720);
  private static final CardLayout PORTRAIT = new CardLayout(720, 1280);
  private static final CardLayout SQUARE = new CardLayout(720, 720);

  @Test
  void everyLineStaysInsideTheTitleSafeAreaAtEveryAspectRatio() {
    for (CardLayout layout : List.of(LANDSCAPE, PORTRAIT, SQUARE, new CardLayout(180, 320))) {
      for (String text : List.of(SHORT, LONG, "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW")) {
        Headline headline = layout.fit(text);
        int size = headline.fontSize();

        assertThat(headline.lines()).as("%s %s", layout, text)
            .allSatisfy(line -> assertThat(CardText.ems(line) * size).isLessThanOrEqualTo(layout.textWidth()));
        assertThat(layout.textWidth()).isLessThanOrEqualTo(layout.width() - 2 * layout.marginX());
        List<Integer> baselines = layout.baselines(headline);
        assertThat(baselines.get(0) - size * CardLayout.CAP_HEIGHT).as("cap top of %s", layout)
            .isGreaterThanOrEqualTo(layout.marginY());
        assertThat(baselines.get(baselines.size() - 1) + size * 0.25).as("descenders of %s", layout)
            .isLessThanOrEqualTo(layout.height() - layout.marginY());
        Box bar = layout.accentBar(headline);
        assertThat(bar.y()).isGreaterThanOrEqualTo(layout.marginY());
        assertThat(bar.x()).isGreaterThanOrEqualTo(layout.marginX());
        assertThat(bar.x() + bar.w()).isLessThanOrEqualTo(layout.width() - layout.marginX());
      }
    }
  }

  @Test
  void landscapeSetsALowerThirdAlignedToTheReadingSide() {
    Headline headline = LANDSCAPE.fit(SHORT);

    assertThat(headline.align()).isEqualTo(Align.LEFT);
    assertThat(LANDSCAPE.baselines(headline)).last().isEqualTo(547);
    assertThat(LANDSCAPE.accentBar(headline).x()).isEqualTo(LANDSCAPE.marginX());
    assertThat(LANDSCAPE.fit("שלום לכולם, קפה חדש").align()).isEqualTo(Align.RIGHT);
  }

  @Test
  void portraitWrapsNarrowerAndSitsInTheUpperMiddle() {
    Headline portrait = PORTRAIT.fit(LONG);
    Headline landscape = LANDSCAPE.fit(LONG);

    assertThat(portrait.align()).isEqualTo(Align.CENTER);
    assertThat(PORTRAIT.textWidth() / (double) portrait.fontSize())
        .isLessThan(LANDSCAPE.textWidth() / (double) landscape.fontSize());
    List<Integer> baselines = PORTRAIT.baselines(portrait);
    double middle = (baselines.get(0) + baselines.get(baselines.size() - 1)) / 2.0;
    assertThat(middle).isBetween(1280 / 3.0, 1280 / 2.0);
    assertThat(PORTRAIT.fit("שלום לכולם").align()).isEqualTo(Align.CENTER);
  }

  @Test
  void squareCentresTheHeadline() {
    Headline headline = SQUARE.fit(SHORT);
    List<Integer> baselines = SQUARE.baselines(headline);
    int capTop = baselines.get(0) - (int) Math.round(headline.fontSize() * CardLayout.CAP_HEIGHT);

    assertThat(headline.align()).isEqualTo(Align.CENTER);
    assertThat((capTop + baselines.get(baselines.size() - 1)) / 2.0).isCloseTo(360, offset(2.0));
    assertThat(SQUARE.accentBar(headline).x() * 2 + SQUARE.accentBar(headline).w()).isEqualTo(720);
  }

  @Test
  void aLongHeadlineShrinksTheFontBeforeItIsCut() {
    Headline shortOne = LANDSCAPE.fit(SHORT);
    Headline longOne = LANDSCAPE.fit(LONG);
    Headline endless = LANDSCAPE.fit(LONG.repeat(4));

    assertThat(shortOne.fontSize()).isEqualTo(LANDSCAPE.baseFontSize());
    assertThat(longOne.fontSize()).isLessThan(shortOne.fontSize());
    assertThat(String.join(" ", longOne.lines())).isEqualTo(LONG);
    assertThat(endless.lines()).hasSize(4).last().asString().endsWith("…");
  }

  @Test
  void linesAreBalancedRatherThanLeavingAWordAlone() {
    assertThat(LANDSCAPE.fit("Ready for something better? Meet Acme Coffee.").lines())
        .containsExactly("Ready for", "something better?", "Meet Acme Coffee.");
  }

  @Test
  void anEmptyHeadlineHasNoLinesButStillAPlace() {
    Headline empty = PORTRAIT.fit("😀 😀");

    assertThat(empty.lines()).isEmpty();
    assertThat(PORTRAIT.baselines(empty)).isEmpty();
    assertThat(PORTRAIT.scrim(empty).h()).isPositive();
  }
}
