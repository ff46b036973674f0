package io.daemonverticle.impl.config;

import java.util.Objects;

/**
 * One config key, declared once: its name in the JSON, the environment variable that overrides
 * it, its default, its type, the check {@code validate()} runs and the one line the docs table
 * gives it. Immutable; each {@code with}-style method returns a new key, so a declaration reads
 * as one expression.
 */
public final class OptionKey<T> {

  private final String name;
  private final OptionType<T> type;
  private final T defaultValue;
  private final String env;
  private final Check<? super T> check;
  private final String shownDefault;
  private final String meaning;
  private final boolean secret;

  private OptionKey(String name, OptionType<T> type, T defaultValue, String env,
                    Check<? super T> check, String shownDefault, String meaning) {
    this(name, type, defaultValue, env, check, shownDefault, meaning, false);
  }

  private OptionKey(String name, OptionType<T> type, T defaultValue, String env,
                    Check<? super T> check, String shownDefault, String meaning,
                    boolean secret) {
    this.secret = secret;
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
    this.defaultValue = defaultValue;
    this.env = env;
    this.check = Objects.requireNonNull(check);
    this.shownDefault = shownDefault;
    this.meaning = meaning;
  }

  /** A key that is {@code defaultValue} (null: unset) when neither JSON nor setter gives it. */
  public static <T> OptionKey<T> of(String name, OptionType<T> type, T defaultValue) {
    return new OptionKey<>(name, type, defaultValue, null, Check.none(), null, "");
  }

  /**
   * Overridden by the environment variable {@code variable} when it is set and not blank. Only
   * text and whole-number keys take one: a variable is text, and a number is the one other
   * value whose text form leaves no doubt (an unparsable one fails the start, naming it).
   */
  public OptionKey<T> env(String variable) {
    if (type != OptionType.STRING && type != OptionType.INT) {
      throw new IllegalStateException(name + " is neither text nor a whole number; it cannot "
          + "come from " + variable);
    }
    return new OptionKey<>(name, type, defaultValue, variable, check, shownDefault, meaning,
        secret);
  }

  public OptionKey<T> check(Check<? super T> rule) {
    return new OptionKey<>(name, type, defaultValue, env, rule, shownDefault, meaning, secret);
  }

  /**
   * What the docs show as the default when the declared one is not the whole story: an unset
   * key may be required, or be resolved later from the coin table.
   */
  public OptionKey<T> shownDefault(String text) {
    return new OptionKey<>(name, type, defaultValue, env, check, text, meaning, secret);
  }

  /** The key's one line in the docs table. */
  public OptionKey<T> means(String text) {
    return new OptionKey<>(name, type, defaultValue, env, check, shownDefault, text, secret);
  }

  /** A credential: masked wherever the options are shown rather than deployed. */
  public OptionKey<T> secret() {
    return new OptionKey<>(name, type, defaultValue, env, check, shownDefault, meaning, true);
  }

  public boolean isSecret() {
    return secret;
  }

  public String name() {
    return name;
  }

  public OptionType<T> type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  /**
   * The JSON value of this key's environment variable set to {@code text}.
   *
   * @throws IllegalArgumentException naming the variable when it is not of the key's type
   */
  public Object fromEnvironment(String text) {
    if (type != OptionType.INT) {
      return text;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(env + " must be a whole number, not \"" + text + "\"");
    }
  }

  /** The overriding environment variable, or null. */
  public String env() {
    return env;
  }

  public String meaning() {
    return meaning;
  }

  public String shownDefault() {
    return shownDefault != null ? shownDefault : type.describe(defaultValue);
  }

  void validate(T value, OptionValues all) {
    check.check(name, value, all);
  }

  @Override
  public String toString() {
    return name;
  }
}
