package io.daemonverticle.impl.config;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How a config value is read from JSON, written back and shown in the docs. Reading is strict on
 * purpose: a value of the wrong type fails naming its key instead of being skipped, so a typo in
 * a config never leaves the service running on a default unnoticed.
 */
public final class OptionType<T> {

  /** Reads one JSON value, never null, of the key {@code name}. */
  @FunctionalInterface
  private interface Reader<T> {
    T read(String name, Object json);
  }

  public static final OptionType<String> STRING = scalar(String.class, (name, json) -> {
    if (!(json instanceof String s)) {
      throw new IllegalArgumentException(name + " must be a string");
    }
    return s;
  });

  public static final OptionType<Long> LONG = scalar(Long.class, OptionType::whole);

  public static final OptionType<Integer> INT = scalar(Integer.class, (name, json) -> {
    long value = whole(name, json);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw new IllegalArgumentException(name + " is out of range");
    }
    return (int) value;
  });

  /** Any number, whole or not: fees are fractions of a coin. */
  public static final OptionType<Double> DECIMAL = scalar(Double.class, (name, json) -> {
    if (!(json instanceof Number n)) {
      throw new IllegalArgumentException(name + " must be a number");
    }
    return n.doubleValue();
  });

  /** Written only when true: a flag that must be asked for by name stays out of a dump. */
  public static final OptionType<Boolean> FLAG = new OptionType<>(Boolean.class, (name, json) -> {
    if (!(json instanceof Boolean b)) {
      throw new IllegalArgumentException(name + " must be true or false");
    }
    return b;
  }, b -> b, String::valueOf);

  private final Class<?> valueClass;
  private final Reader<T> reader;
  private final Function<T, Object> writer;
  private final Function<T, String> describer;

  private OptionType(Class<?> valueClass, Reader<T> reader, Function<T, Object> writer,
                     Function<T, String> describer) {
    this.valueClass = valueClass;
    this.reader = reader;
    this.writer = writer;
    this.describer = describer;
  }

  private static <T> OptionType<T> scalar(Class<T> valueClass, Reader<T> reader) {
    return new OptionType<>(valueClass, reader, v -> v, String::valueOf);
  }

  /**
   * A list of names: a JSON array of strings, or one comma-separated string (the form a shell
   * gives). {@code what} names them in the error message. Written only when not empty.
   */
  public static OptionType<List<String>> names(String what) {
    String wrong = " must be an array of " + what;
    return new OptionType<>(List.class, (name, json) -> {
      List<String> names = new ArrayList<>();
      if (json instanceof JsonArray array) {
        for (Object o : array) {
          if (!(o instanceof String s)) {
            throw new IllegalArgumentException(name + wrong);
          }
          names.add(s);
        }
      } else if (json instanceof String s && !s.isBlank()) {
        for (String part : s.split(",")) {
          names.add(part.trim());
        }
      } else {
        throw new IllegalArgumentException(name + wrong);
      }
      return names;
    }, l -> l.isEmpty() ? null : new JsonArray(new ArrayList<>(l)),
        l -> l.isEmpty() ? "none" : String.join(", ", l));
  }

  /** The Java class of the values, for code that handles keys of any type. */
  public Class<?> valueClass() {
    return valueClass;
  }

  /** @throws IllegalArgumentException naming {@code name} when the value has the wrong type */
  public T read(String name, Object json) {
    return reader.read(name, json);
  }

  /** The JSON form of a value, or null when {@code toJson()} leaves the key out. */
  public Object write(T value) {
    return value == null ? null : writer.apply(value);
  }

  /** A default as the docs table shows it. */
  public String describe(T value) {
    return value == null ? "none" : describer.apply(value);
  }

  @Override
  public String toString() {
    return valueClass.getSimpleName();
  }

  private static long whole(String name, Object json) {
    if (!(json instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
    return n.longValue();
  }
}
