package io.daemonverticle.impl.config;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The secrets this process was given (daemon passwords, cookie secrets, proxy passwords, the
 * HTTP token) and the {@link Redactor} that removes them. Process-wide, so that any text made
 * anywhere (an exception's message deep in a reader, a log line) is masked the same way
 * without handing an object down every call; a secret seen once stays known (a cookie
 * rewritten by a daemon restart, a password changed by a reload), up to
 * {@value #MAX_REMEMBERED} of them, the oldest forgotten first.
 *
 * <p>Registration is rare and locked; masking reads one volatile field.
 */
public final class Secrets {

  static final int MAX_REMEMBERED = 64;

  private static final Deque<List<String>> REMEMBERED = new ArrayDeque<>();
  private static volatile Redactor current = Redactor.none();

  private Secrets() {
  }

  /** A user and password (a daemon's, a cookie's, a proxy's); null or empty: none. */
  public static void register(String user, String password) {
    remember(user, password);
  }

  /** A secret without user (a token). */
  public static void registerSecret(String value) {
    remember(null, value);
  }

  private static synchronized void remember(String user, String secret) {
    if (secret == null || secret.isEmpty()) {
      return;
    }
    List<String> entry = Arrays.asList(user, secret);
    if (REMEMBERED.contains(entry)) {
      return;
    }
    REMEMBERED.addLast(entry);
    if (REMEMBERED.size() > MAX_REMEMBERED) {
      REMEMBERED.removeFirst();
    }
    Redactor next = Redactor.none();
    for (List<String> known : REMEMBERED) {
      next = known.get(0) == null ? next.withSecret(known.get(1))
          : next.withCredentials(known.get(0), known.get(1));
    }
    current = next;
  }

  /** What masks with every secret known now. */
  public static Redactor redactor() {
    return current;
  }

  /** {@link Redactor#redact}, with every secret known now. */
  public static String mask(String text) {
    return current.redact(text);
  }

  /** {@link Redactor#daemonText}, with every secret known now. */
  public static String daemonText(String text) {
    return current.daemonText(text);
  }
}
