package io.reelflow.provider;

/** Speaks a scene's audio script. */
public interface SpeechProvider extends MediaProvider {

  @Override
  default Capability capability() {
    return Capability.SPEECH;
  }
}
