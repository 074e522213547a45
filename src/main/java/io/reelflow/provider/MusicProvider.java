package io.reelflow.provider;

/**
 * Makes the video's music bed. It is asked once per video, by the first scene, for the length of
 * the whole video, so the music runs across scene cuts.
 */
public interface MusicProvider extends MediaProvider {

  @Override
  default Capability capability() {
    return Capability.MUSIC;
  }
}
