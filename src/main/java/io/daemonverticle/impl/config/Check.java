package io.daemonverticle.impl.config;

/**
 * A rule a key's value must satisfy, run by {@code validate()} rather than when the value is
 * read: setters and JSON may set keys in any order, and a rule may depend on another key.
 */
@FunctionalInterface
public interface Check<T> {

  /** @throws IllegalArgumentException starting with the key's name */
  void check(String name, T value, OptionValues all);

  static <T> Check<T> none() {
    return (name, value, all) -> { };
  }

  static Check<Number> positive() {
    return (name, value, all) -> {
      if (value.longValue() <= 0) {
        throw new IllegalArgumentException(name + " must be positive, not " + value);
      }
    };
  }

  /** Positive and at most {@code max}. */
  static Check<Number> positiveAtMost(long max) {
    return (name, value, all) -> {
      positive().check(name, value, all);
      if (value.longValue() > max) {
        throw new IllegalArgumentException(name + " must be at most " + max + ", not " + value);
      }
    };
  }

  static Check<Number> nonNegative() {
    return (name, value, all) -> {
      if (value.longValue() < 0) {
        throw new IllegalArgumentException(name + " must not be negative, not " + value);
      }
    };
  }

  /** A TCP port, 0 (any free one) included; unset passes. */
  static Check<Number> port() {
    return (name, value, all) -> {
      if (value != null && (value.longValue() < 0 || value.longValue() > 65535)) {
        throw new IllegalArgumentException(name + " must be a port between 0 and 65535, not "
            + value);
      }
    };
  }

  static Check<String> notBlank() {
    return (name, value, all) -> {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be empty");
      }
    };
  }

  /**
   * Not less than the value of {@code lower}. Declare {@code lower} first, so that its own check
   * has run and a bad value is reported against the key that has it.
   */
  static <N extends Number> Check<N> atLeast(OptionKey<N> lower) {
    return (name, value, all) -> {
      if (value.longValue() < all.get(lower).longValue()) {
        throw new IllegalArgumentException(name + " must be at least " + lower.name());
      }
    };
  }

  /** A block hash: 64 hex digits, as daemons print it; unset passes. */
  static Check<String> blockHash() {
    return (name, value, all) -> {
      if (value != null && !value.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(name + " must be a block hash (64 hex digits), not \""
            + value + "\"");
      }
    };
  }
}
