package io.reelflow.provider;

import io.reelflow.video.PermanentStageException;
import io.reelflow.video.TransientStageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs a local media tool (ffmpeg, espeak-ng) with an argument list, never a shell, so no text
 * can change the command. Output goes to a log file in the work directory. The tools run under
 * {@code nice} ({@code reelflow.local-media.nice}): twenty voice-overs started at once must not
 * delay the claims and provider calls of the scenes beside them.
 */
@Component
public class ProcessRunner {

  private final int nice;

  /** Tools at the JVM's own priority. */
  public ProcessRunner() {
    this(0);
  }

  @Autowired
  public ProcessRunner(LocalMediaSettings settings) {
    this(settings.nice());
  }

  private ProcessRunner(int nice) {
    this.nice = Math.max(0, Math.min(19, nice));
  }

  /** The command as started: under {@code nice -n} when a niceness is set. */
  List<String> niced(List<String> command) {
    if (nice == 0) {
      return command;
    }
    List<String> niced = new ArrayList<>(List.of("nice", "-n", Integer.toString(nice)));
    niced.addAll(command);
    return niced;
  }

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
          new ProcessBuilder(niced(command))
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
    if (nice > 0 && (process.exitValue() == 126 || process.exitValue() == 127)) {
      // nice itself ran; it could not start the tool
      throw new PermanentStageException("tool_missing", "cannot start " + command.get(0) + ": " + tail(log));
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
