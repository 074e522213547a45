package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch's requests are admitted in rounds in which no user appears twice, each user's in order. */
class SubmissionRoundsTest {

  private static Submissions.Request of(String user) {
    return new Submissions.Request(new Caller(user, "pro"), null, null, "h", "p", BigDecimal.ZERO);
  }

  @Test
  void distinctUsersShareOneRound() {
    assertThat(Submissions.rounds(List.of(of("a"), of("b"), of("c")))).containsExactly(List.of(0, 1, 2));
  }

  @Test
  void aUsersLaterRequestsGoInLaterRoundsInTheirOrder() {
    assertThat(Submissions.rounds(List.of(of("a"), of("b"), of("a"), of("c"), of("a"), of("b"))))
        .containsExactly(List.of(0, 1, 3), List.of(2, 5), List.of(4));
  }

  @Test
  void noRequestsNoRounds() {
    assertThat(Submissions.rounds(List.of())).isEmpty();
  }
}
