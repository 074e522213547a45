package io.reelflow.provider;

import io.reelflow.video.PermanentStageException;
import io.reelflow.video.TransientStageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Runs a local media tool (ffmpeg, espeak-ng) with an argument list, never a shell, so no text
 * can change the command. Output goes to a log file in the work directory.
 */
@Component
public class ProcessRunner {

  /**
   * Runs {@code command} in {@code workDir} and waits up to {@code timeout}.
   *
   * @throws PermanentStageException {@code code} when the tool is missing or exits non-zero
   * @throws TransientStageException {@code timeout} when it runs too long (it is killed)
   */
  public void run(List<String> command, Path workDir, Duration timeout, String code) {
    Path log = workDir.resolve(Path.of(command.get(0)).getFileName() + "-" + System.nanoTime() + ".log");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new PermanentStageException("tool_missing", "cannot start " + command.get(0), e);
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new TransientStageException(
            "timeout", command.get(0) + " ran longer than " + timeout, null);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TransientStageException("interrupted", command.get(0) + " was interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new PermanentStageException(
          code, command.get(0) + " exited with " + process.exitValue() + ": " + tail(log));
    }
  }

  static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      return text.length() <= 600 ? text : text.substring(text.length() - 600);
    } catch (IOException e) {
      return "(no output)";
    }
  }
}
