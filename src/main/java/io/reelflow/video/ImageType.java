package io.reelflow.video;

import java.util.Optional;

/**
 * The image types Reelflow takes in (a reference image, a provider's still), known by their first
 * bytes rather than by what a server says they are.
 */
public enum ImageType {
  PNG("image/png", "png"),
  JPEG("image/jpeg", "jpg"),
  WEBP("image/webp", "webp");

  private final String contentType;
  private final String extension;

  ImageType(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  /** The file name extension, without the dot. */
  public String extension() {
    return extension;
  }

  /** The type the bytes' signature shows, or empty for anything else. */
  public static Optional<ImageType> sniff(byte[] b) {
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
      return Optional.of(PNG);
    }
    if (startsWith(b, 0, 0xff, 0xd8, 0xff)) {
      return Optional.of(JPEG);
    }
    if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
      return Optional.of(WEBP);
    }
    return Optional.empty();
  }

  /** Whether a file name ends with one of the types' {@link #extension}s. */
  public static boolean named(String fileName) {
    return java.util.Arrays.stream(values()).anyMatch(type -> fileName.endsWith("." + type.extension));
  }

  private static boolean startsWith(byte[] bytes, int offset, int... signature) {
    if (bytes.length < offset + signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((bytes[offset + i] & 0xff) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
