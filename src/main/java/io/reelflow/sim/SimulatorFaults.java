package io.reelflow.sim;

import java.util.Locale;

/**
 * The faults a test switches on while the simulator runs: an outage, refused or hung creates,
 * refused prompts and predictions that fail. Thread-safe: each take is atomic, so n faults hit
 * exactly the next n requests however many arrive at once.
 */
final class SimulatorFaults {

  /** What the next create or speech request suffers instead of being served normally. */
  sealed interface CreateFault {}

  /** Answer {@code status}, with {@code Retry-After} when {@code retryAfterSeconds} is set. */
  record Refuse(int status, Integer retryAfterSeconds) implements CreateFault {}

  /** Never answer, until the simulator closes. */
  record Hang() implements CreateFault {}

  private volatile boolean outage;
  private volatile String refusalMarker;
  private int refusals;
  private int refusalStatus;
  private Integer refusalRetryAfter;
  private int hangs;
  private int failures;
  private String failureError;

  SimulatorFaults(String refusalMarker) {
    this.refusalMarker = refusalMarker;
  }

  boolean outage() {
    return outage;
  }

  void outage(boolean down) {
    outage = down;
  }

  synchronized void refuseNext(int n, int status, Integer retryAfterSeconds) {
    if (n < 0 || status < 400 || status > 599) {
      throw new IllegalArgumentException("need n >= 0 and a 4xx or 5xx status");
    }
    refusals = n;
    refusalStatus = status;
    refusalRetryAfter = retryAfterSeconds;
  }

  synchronized void hangNext(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative");
    }
    hangs = n;
  }

  synchronized void failNext(int n, String error) {
    if (n < 0 || error == null || error.isBlank()) {
      throw new IllegalArgumentException("need n >= 0 and an error message");
    }
    failures = n;
    failureError = error;
  }

  void refusalMarker(String marker) {
    refusalMarker = marker;
  }

  /** Takes the fault for one incoming create, refusals first; {@code null} when none is due. */
  synchronized CreateFault takeCreateFault() {
    if (refusals > 0) {
      refusals--;
      return new Refuse(refusalStatus, refusalRetryAfter);
    }
    if (hangs > 0) {
      hangs--;
      return new Hang();
    }
    return null;
  }

  /** Takes the error one new prediction must end with, or {@code null} when none is due. */
  synchronized String takePredictionError() {
    if (failures > 0) {
      failures--;
      return failureError;
    }
    return null;
  }

  /** Whether {@code prompt} contains the refusal marker, ignoring case. */
  boolean refuses(String prompt) {
    String marker = refusalMarker;
    return marker != null
        && !marker.isEmpty()
        && prompt != null
        && prompt.toLowerCase(Locale.ROOT).contains(marker.toLowerCase(Locale.ROOT));
  }
}
