package io.reelflow.provider;

/** Makes the picture of a scene: a clip of exactly the scene's duration at the video's size. */
public interface VisualProvider extends MediaProvider {

  @Override
  default Capability capability() {
    return Capability.VISUAL;
  }
}
