package io.daemonverticle.impl.config;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a set of declared keys, starting at their defaults. Everything that goes over
 * all keys (JSON in and out, environment, validation) lives here, so an options class only
 * declares its keys and forwards its accessors.
 */
public final class OptionValues {

  private final List<OptionKey<?>> keys;
  // HashMap because an explicitly set null must stay null rather than fall back to the default.
  private final Map<OptionKey<?>, Object> values = new HashMap<>();

  public OptionValues(List<OptionKey<?>> keys) {
    this.keys = List.copyOf(keys);
    for (OptionKey<?> key : keys) {
      values.put(key, key.defaultValue());
    }
  }

  @SuppressWarnings("unchecked")
  public <T> T get(OptionKey<T> key) {
    requireDeclared(key);
    return (T) values.get(key);
  }

  public <T> void set(OptionKey<T> key, T value) {
    requireDeclared(key);
    values.put(key, value);
  }

  /** Takes every key present in {@code json}; absent (or null) keys keep their values. */
  public OptionValues read(JsonObject json) {
    for (OptionKey<?> key : keys) {
      readOne(key, json.getValue(key.name()));
    }
    return this;
  }

  /** Every key in declaration order, leaving out those whose type writes nothing for them. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (OptionKey<?> key : keys) {
      Object value = writeOne(key);
      if (value != null) {
        json.put(key.name(), value);
      }
    }
    return json;
  }

  /** As {@link #toJson()}, with the value of every secret key written as {@code "***"}. */
  public JsonObject toMaskedJson() {
    JsonObject json = toJson();
    for (OptionKey<?> key : keys) {
      if (key.isSecret() && json.containsKey(key.name())) {
        json.put(key.name(), "***");
      }
    }
    return json;
  }

  /** Overrides each key that has an environment variable that is set and not blank. */
  public OptionValues readEnvironment(Map<String, String> env) {
    for (OptionKey<?> key : keys) {
      String value = key.env() == null ? null : env.get(key.env());
      if (value != null && !value.isBlank()) {
        readOne(key, key.fromEnvironment(value));
      }
    }
    return this;
  }

  /** Runs the keys' checks in declaration order; the first that fails throws. */
  public OptionValues validate() {
    for (OptionKey<?> key : keys) {
      checkOne(key);
    }
    return this;
  }

  private <T> void readOne(OptionKey<T> key, Object json) {
    if (json != null) {
      values.put(key, key.type().read(key.name(), json));
    }
  }

  private <T> Object writeOne(OptionKey<T> key) {
    return key.type().write(get(key));
  }

  private <T> void checkOne(OptionKey<T> key) {
    key.validate(get(key), this);
  }

  private void requireDeclared(OptionKey<?> key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException(key.name() + " is not one of these options");
    }
  }
}
