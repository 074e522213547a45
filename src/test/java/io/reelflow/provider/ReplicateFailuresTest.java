package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicateFailuresTest {

  @Test
  void aSafetyRefusalIsPermanent() {
    ProviderException e = ReplicateVisualProvider.failed("NSFW content detected. Try running it again, or try a different prompt.");
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
    assertThat(e.code()).isEqualTo("content_policy_violation");
  }

  @Test
  void anInfrastructureFailureMayPassOnARetry() {
    ProviderException e = ReplicateVisualProvider.failed("CUDA out of memory");
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.RETRYABLE);
    assertThat(e.code()).isEqualTo("provider_job_failed");
    assertThat(e.countsAgainstProvider()).isTrue();
  }

  @Test
  void aModelThatCannotMakeTheSceneHandsItOn() {
    assertThat(ReplicateVisualProvider.failed("unsupported aspect ratio 9:16").kind())
        .isEqualTo(ProviderException.Kind.UNSUPPORTED);
  }

  @Test
  void aRateLimitDoesNotCountAgainstTheProvidersHealth() {
    assertThat(ProviderException.retryable("rate_limited", "busy", null).countsAgainstProvider()).isFalse();
  }
}
