package io.reelflow.provider;

/** What a provider makes for a scene; each capability has its own provider chain and slots. */
public enum Capability {
  VISUAL("visual"),
  SPEECH("speech"),
  MUSIC("music");

  private final String key;

  Capability(String key) {
    this.key = key;
  }

  /** Lower-case name used in tables, metrics and configuration. */
  public String key() {
    return key;
  }

  /** The capability named {@code key}. */
  public static Capability of(String key) {
    for (Capability capability : values()) {
      if (capability.key.equals(key)) {
        return capability;
      }
    }
    throw new IllegalArgumentException("unknown capability " + key);
  }
}
