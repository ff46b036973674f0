package io.daemonverticle.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's node scripts (scripts/regtest, scripts/core) for the integration tests
 * and knows where they keep their state. The calls block: make them from the test thread or
 * through {@link RegtestNode#blocking}.
 */
final class ProjectScripts {

  private static final long TIMEOUT_S = 180;

  private ProjectScripts() {
  }

  /** Runs a script (path relative to the project); answers its stdout or fails with its stderr. */
  static String run(String... command) {
    List<String> cmd = new ArrayList<>(List.of(command));
    cmd.set(0, basedir().resolve(command[0]).toString());
    try {
      // Files, not pipes: a pipe inherited by a straggling child could block the reader.
      Path out = Files.createTempFile("node-script", ".out");
      Path err = Files.createTempFile("node-script", ".err");
      try {
        Process process = new ProcessBuilder(cmd).directory(basedir().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not finish in "
              + TIMEOUT_S + " s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " exited "
              + process.exitValue() + ": " + Files.readString(err));
        }
        return Files.readString(out);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command[0], e);
    }
  }

  /** Where the scripts keep their state (the same rules as scripts/regtest/lib.sh). */
  static Path stateRoot() {
    String state = System.getenv("DV_STATE_DIR");
    if (state != null && !state.isEmpty()) {
      return basedir().resolve(state);
    }
    String cache = System.getenv("DV_CACHE_DIR");
    Path cacheDir = cache != null && !cache.isEmpty() ? basedir().resolve(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "daemon-verticle");
    return cacheDir.resolve("run");
  }

  static Path basedir() {
    return Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));
  }
}
