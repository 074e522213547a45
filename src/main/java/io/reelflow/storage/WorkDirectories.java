package io.reelflow.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary per-video work directories: the only place media touches local disk, and deleted
 * in every outcome.
 */
public final class WorkDirectories {

  private WorkDirectories() {}

  /** Creates {@code dir} empty, deleting whatever an earlier attempt left there. */
  public static Path fresh(Path dir) {
    delete(dir);
    try {
      return Files.createDirectories(dir).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes the directories under {@code root} not modified for {@code maxAge}: what a crashed
   * or killed worker left behind. Longer than any step's timeout, so work in progress (on this
   * or another instance sharing the directory) is never touched.
   *
   * @return how many were deleted
   */
  public static int sweep(Path root, java.time.Duration maxAge) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    java.time.Instant before = java.time.Instant.now().minus(maxAge);
    int deleted = 0;
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.toList()) {
        if (Files.getLastModifiedTime(child).toInstant().isBefore(before)) {
          delete(child);
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deleted;
  }

  /** Deletes {@code dir} and everything in it; a missing directory is fine. */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
