package io.daemonverticle.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the benchmark's programs: {@code --name value}, repeatable, and flags. */
final class Args {

  private final Map<String, List<String>> values = new LinkedHashMap<>();

  private Args() {
  }

  /**
   * @param flags the options that take no value
   * @param known every option name accepted (flags included)
   * @throws IllegalArgumentException for an unknown option or one missing its value
   */
  static Args parse(List<String> argv, Set<String> flags, Set<String> known) {
    Args args = new Args();
    for (int i = 0; i < argv.size(); i++) {
      String name = argv.get(i);
      if (!name.startsWith("--") || !known.contains(name.substring(2))) {
        throw new IllegalArgumentException("unknown option " + name);
      }
      name = name.substring(2);
      String value = "true";
      if (!flags.contains(name)) {
        if (i + 1 >= argv.size()) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = argv.get(++i);
      }
      args.values.computeIfAbsent(name, (String k) -> new ArrayList<>()).add(value);
    }
    return args;
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  String string(String name, String fallback) {
    List<String> all = values.get(name);
    return all == null ? fallback : all.get(all.size() - 1);
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** A positive whole number. */
  int positive(String name, int fallback) {
    return number(name, fallback, 1, "positive");
  }

  /** A whole number, 0 or more. */
  int natural(String name, int fallback) {
    return number(name, fallback, 0, "non-negative");
  }

  private int number(String name, int fallback, int least, String what) {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= least) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " must be a " + what + " whole number, not "
        + value);
  }
}
