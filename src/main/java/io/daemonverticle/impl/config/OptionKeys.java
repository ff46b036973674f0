package io.daemonverticle.impl.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of one options class, in declaration order, which is also the order of
 * {@code toJson()}, of validation and of the docs table.
 */
public final class OptionKeys {

  private final List<OptionKey<?>> keys = new ArrayList<>();

  /** Adds {@code key} and returns it, so that a declaration is one field initializer. */
  public <T> OptionKey<T> declare(OptionKey<T> key) {
    for (OptionKey<?> other : keys) {
      if (other.name().equals(key.name())) {
        throw new IllegalStateException(key.name() + " is declared twice");
      }
    }
    keys.add(key);
    return key;
  }

  public List<OptionKey<?>> list() {
    return List.copyOf(keys);
  }
}
