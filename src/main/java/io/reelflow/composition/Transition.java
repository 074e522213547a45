package io.reelflow.composition;

/**
 * How one scene gives way to the next, per mode: an ad cross-fades briskly, an explainer slides
 * to its next step, a story dips through black, a music video cuts (on the beat, and so cheaply:
 * without captions its clips are joined by stream copy).
 *
 * @param kind an ffmpeg {@code xfade} transition, or {@code cut}
 * @param millis how long it lasts; 0 for a cut
 */
record Transition(String kind, int millis) {

  static final Transition CUT = new Transition("cut", 0);

  static Transition of(String mode) {
    return switch (mode == null ? "ad" : mode) {
      case "explainer" -> new Transition("slideleft", 500);
      case "story" -> new Transition("fadeblack", 600);
      case "music_video" -> CUT;
      default -> new Transition("fade", 400);
    };
  }

  /** At most a third of the shortest scene, so every scene is seen whole for most of its time. */
  Transition within(int shortestSceneMillis) {
    int longest = shortestSceneMillis / 3;
    return millis <= longest ? this : longest < 40 ? CUT : new Transition(kind, longest / 40 * 40);
  }

  boolean cut() {
    return millis == 0;
  }
}
