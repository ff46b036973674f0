package io.daemonverticle.impl.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says that a value read from the shared map failed its check, and so is taken for absent and
 * replaced: any member of the cluster can write into the map, with other code than ours or
 * none. At WARN the first time for each key and kind of problem, at DEBUG after: a bad value
 * is read again by every request until it is replaced, and a member that keeps writing bad
 * values must not flood the log.
 */
final class BadValues {

  private static final Logger LOG = LoggerFactory.getLogger(BadValues.class);
  /** Of a bad value's text, at most this much is logged: it may be of any size. */
  private static final int SHOWN_CHARS = 80;

  private final String mapName;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** @param mapName names the map in the log (one per service address) */
  BadValues(String mapName) {
    this.mapName = mapName;
  }

  /**
   * @param problem  what the value is instead ("no height"), the same text for every value
   *                 wrong in the same way: the log says it once per key and problem
   * @param seen     what was read, as {@link #describe} says it or with more context
   */
  void report(String key, String problem, String seen) {
    String format = "shared map {}, key {}: {} is {}; taken for absent and replaced";
    if (warned.add(key + '\n' + problem)) {
      LOG.warn(format + " (said once per key and problem)", mapName, key, seen, problem);
    } else {
      LOG.debug(format, mapName, key, seen, problem);
    }
  }

  /** The value's type and the start of its text, with control characters made visible. */
  static String describe(Object value) {
    String text = String.valueOf(value);
    if (text.length() > SHOWN_CHARS) {
      text = text.substring(0, SHOWN_CHARS) + "...";
    }
    return value.getClass().getSimpleName() + " '" + text.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
