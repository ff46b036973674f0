package io.daemonverticle.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A program the benchmark starts: its stdout JSON lines are its results, its stderr goes to a
 * log file. It is ended by closing its stdin (every program of the benchmark exits then), and
 * destroyed when it does not; either way it never outlives {@link #close()}.
 */
final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  /** The stdout JSON lines; empty when stdout has ended. */
  private final BlockingQueue<Optional<JsonObject>> lines = new LinkedBlockingQueue<>();

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildProcess start(String name, List<String> command, Path logDir) throws IOException {
    Path log = logDir.resolve(name + ".log");
    Process process = new ProcessBuilder(command)
        .redirectError(log.toFile())
        .start();
    ChildProcess child = new ChildProcess(name, process, log);
    Thread reader = new Thread(child::readStdout, "bench-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  private void readStdout() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("{")) {
          try {
            lines.add(Optional.of(new JsonObject(line)));
            continue;
          } catch (DecodeException notJson) {
            // shown below
          }
        }
        System.err.println("  [" + name + "] " + line);
      }
    } catch (IOException e) {
      // the process is gone: the end marker below says so
    } finally {
      lines.add(Optional.empty());
    }
  }

  /**
   * The next JSON line; no line within {@code idle} is a failure.
   *
   * @throws IllegalStateException when the program ends first or stays silent too long
   */
  JsonObject next(Duration idle) throws InterruptedException {
    Optional<JsonObject> line = lines.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new IllegalStateException(name + " said nothing for " + idle.toSeconds() + " s; see "
          + log);
    }
    return line.orElseThrow(() -> new IllegalStateException(name + " ended early"
        + exitText() + "; see " + log));
  }

  /**
   * Sends one command line to its stdin and answers its next JSON line.
   *
   * @throws IllegalStateException when the program ends first or stays silent too long
   */
  JsonObject ask(String command, Duration idle) throws IOException, InterruptedException {
    process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
    return next(idle);
  }

  Path log() {
    return log;
  }

  private String exitText() {
    return process.isAlive() ? "" : " (exit " + process.exitValue() + ")";
  }

  /** Closes its stdin, then destroys it if it has not exited 30 s later. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
