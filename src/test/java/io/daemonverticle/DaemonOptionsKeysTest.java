package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.impl.config.OptionKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guards the key declarations of {@link DaemonOptions}: each key is wired to its own accessors,
 * read strictly, written back, overridden and checked as the contract says. The tests iterate
 * over the declarations, so a key added later is covered without a new test.
 */
class DaemonOptionsKeysTest {

  private static final List<OptionKey<?>> KEYS = DaemonOptions.keys();

  @Test
  void everyKeyHasAGetterAndASetterAndEveryAccessorAKey() {
    Set<String> accessors = Arrays.stream(DaemonOptions.class.getDeclaredMethods())
        .filter((Method m) -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName)
        .filter((String n) -> n.startsWith("get") || n.startsWith("is"))
        .map((String n) -> decapitalize(n.substring(n.startsWith("is") ? 2 : 3)))
        .collect(Collectors.toSet());
    assertThat(accessors).containsExactlyInAnyOrderElementsOf(
        KEYS.stream().map(OptionKey::name).toList());
    for (OptionKey<?> key : KEYS) {
      assertThat(setter(key)).as(key.name()).isNotNull();
    }
  }

  @Test
  void absentKeysKeepTheirDefaults() {
    for (DaemonOptions o : List.of(new DaemonOptions(), new DaemonOptions(new JsonObject()))) {
      for (OptionKey<?> key : KEYS) {
        assertThat(get(o, key)).as(key.name()).isEqualTo(key.defaultValue());
      }
    }
  }

  @Test
  void everyKeyIsReadWrittenAndRoundTrips() {
    JsonObject json = new JsonObject();
    Map<String, Object> expected = new LinkedHashMap<>();
    for (int i = 0; i < KEYS.size(); i++) {
      OptionKey<?> key = KEYS.get(i);
      Object sample = sample(key, i);
      assertThat(sample).as(key.name()).isNotEqualTo(key.defaultValue());
      expected.put(key.name(), sample);
      json.put(key.name(), sample instanceof List<?> l ? new JsonArray(new ArrayList<>(l)) : sample);
    }
    DaemonOptions read = new DaemonOptions(json);
    assertThat(read.toJson()).isEqualTo(json);
    DaemonOptions copied = new DaemonOptions(new DaemonOptions(read.toJson()));
    for (OptionKey<?> key : KEYS) {
      assertThat(get(read, key)).as(key.name()).isEqualTo(expected.get(key.name()));
      assertThat(get(copied, key)).as(key.name()).isEqualTo(expected.get(key.name()));
    }
  }

  @Test
  void everySetterWritesItsOwnKey() throws ReflectiveOperationException {
    for (int i = 0; i < KEYS.size(); i++) {
      OptionKey<?> key = KEYS.get(i);
      Object sample = sample(key, i);
      DaemonOptions o = new DaemonOptions();
      assertThat(setter(key).invoke(o, sample)).isSameAs(o);
      assertThat(get(o, key)).as(key.name()).isEqualTo(sample);
      assertThat(get(new DaemonOptions(o.toJson()), key)).as(key.name()).isEqualTo(sample);
      for (OptionKey<?> other : KEYS) {
        if (other != key) {
          assertThat(get(o, other)).as(key.name() + " leaves " + other.name())
              .isEqualTo(other.defaultValue());
        }
      }
    }
  }

  @Test
  void toJsonLeavesOutExactlyTheUnsetOptionalKeys() {
    assertThat(new DaemonOptions().toJson().fieldNames()).containsExactlyInAnyOrder(
        "coin", "net", "address", "maxWorkqueue", "maxQueued", "initRetryMs", "maxRetryMs",
        "maxBatch", "requestTimeoutMs", "attemptTimeoutMs", "heightPollMs", "cacheTtlMs",
        "cacheLeaseMs", "hedgeAfterMs", "breakerMaxFailures", "breakerResetMs",
        "maxLagBlocks", "offloadBytes", "maxReplyBytes", "maxBatchBytes", "httpHost",
        // Flags are written either way: a flag whose default is true must read back false.
        "restBlocks", "trustAllDaemonCertificates", "httpAllowBroadcast");
    JsonObject json = new DaemonOptions().setTrustAllDaemonCertificates(true)
        .setRequiredIndexes(List.of("txindex")).setEstimateFee(0.5).toJson();
    assertThat(json.getValue("trustAllDaemonCertificates")).isEqualTo(true);
    assertThat(json.getValue("requiredIndexes")).isEqualTo(new JsonArray().add("txindex"));
    assertThat(json.getValue("estimateFee")).isEqualTo(0.5);
  }

  @Test
  void aValueOfTheWrongTypeFailsNamingItsKey() {
    for (OptionKey<?> key : KEYS) {
      Map<Object, String> wrong = wrongValues(key);
      assertThat(wrong).as("wrong values for " + key.type()).isNotEmpty();
      wrong.forEach((Object value, String message) ->
          assertThatThrownBy(() -> new DaemonOptions(new JsonObject().put(key.name(), value)))
              .as(key.name() + " = " + value)
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage(key.name() + " " + message));
    }
  }

  @Test
  void theEnvironmentOverridesExactlyTheContractsKeys() {
    Map<String, String> variables = KEYS.stream().filter((OptionKey<?> k) -> k.env() != null)
        .collect(Collectors.toMap(OptionKey::env, OptionKey::name));
    assertThat(variables).isEqualTo(Map.of("DAEMON_URL", "daemonUrl", "COIN", "coin",
        "NET", "net", "DAEMON_KIND", "daemonKind", "DAEMON_PROXY_URL", "proxyUrl",
        "DAEMON_COOKIE_FILE", "cookieFile", "HTTP_PORT", "httpPort", "HTTP_HOST", "httpHost"));
    Map<String, String> env = new HashMap<>();
    variables.keySet().forEach((String v) -> env.put(v, "from-" + v));
    env.put("HTTP_PORT", "18339");
    DaemonOptions o = new DaemonOptions().withEnvironment(env);
    for (OptionKey<?> key : KEYS) {
      Object expected = key.env() == null ? key.defaultValue()
          : key.env().equals("HTTP_PORT") ? (Object) 18339 : "from-" + key.env();
      assertThat(get(o, key)).as(key.name()).isEqualTo(expected);
    }
    env.put("HTTP_PORT", "eighty");
    assertThatThrownBy(() -> new DaemonOptions().withEnvironment(env))
        .hasMessageContaining("HTTP_PORT must be a whole number");
    variables.keySet().forEach((String v) -> env.put(v, " "));
    DaemonOptions blank = new DaemonOptions().withEnvironment(env);
    for (OptionKey<?> key : KEYS) {
      assertThat(get(blank, key)).as(key.name()).isEqualTo(key.defaultValue());
    }
  }

  @Test
  void validationChecksEachNumberAsTheContractSays() {
    Set<String> positive = Set.of("maxWorkqueue", "initRetryMs", "maxBatch", "requestTimeoutMs",
        "attemptTimeoutMs", "cacheLeaseMs", "breakerMaxFailures", "breakerResetMs",
        "maxReplyBytes", "maxBatchBytes");
    Set<String> nonNegative = Set.of("maxQueued", "heightPollMs", "cacheTtlMs", "offloadBytes",
        "hedgeAfterMs", "maxLagBlocks");
    assertThat(new DaemonOptions().validate()).isNotNull();
    for (OptionKey<?> key : KEYS) {
      if (!(key.defaultValue() instanceof Long || key.defaultValue() instanceof Integer)) {
        continue;
      }
      for (long value : new long[] {-1, 0}) {
        JsonObject json = new JsonObject().put(key.name(), value);
        if (key.name().equals("maxRetryMs")) {
          json.put("initRetryMs", 1);
        }
        boolean fails = positive.contains(key.name())
            || value < 0 && nonNegative.contains(key.name())
            || key.name().equals("maxRetryMs");
        if (fails) {
          assertThatThrownBy(() -> new DaemonOptions(json).validate()).as(json.encode())
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith(key.name() + " must")
              .hasMessageEndingWith(key.name().equals("maxRetryMs") ? "at least initRetryMs"
                  : ", not " + value);
        } else {
          assertThat(new DaemonOptions(json).validate()).as(json.encode()).isNotNull();
        }
      }
    }
    assertThat(new DaemonOptions().setInitRetryMs(7).setMaxRetryMs(7).validate()).isNotNull();
    assertThatThrownBy(() -> new DaemonOptions().setAddress(null).validate())
        .hasMessage("address must not be empty");
  }

  @Test
  void everyDefaultConstantIsTheDeclaredDefault() throws IllegalAccessException {
    Map<String, OptionKey<?>> byName = KEYS.stream()
        .collect(Collectors.toMap(OptionKey::name, (OptionKey<?> k) -> k));
    Set<String> withConstant = new java.util.HashSet<>();
    for (Field field : DaemonOptions.class.getFields()) {
      if (!field.getName().startsWith("DEFAULT_")) {
        continue;
      }
      String name = camelCase(field.getName().substring("DEFAULT_".length()));
      assertThat(byName).as(field.getName() + " names a key").containsKey(name);
      assertThat(field.get(null)).as(field.getName()).isEqualTo(byName.get(name).defaultValue());
      withConstant.add(name);
    }
    // Keys that are unset (null, empty, false) by default have nothing to name.
    assertThat(withConstant).containsExactlyInAnyOrderElementsOf(KEYS.stream()
        .filter((OptionKey<?> k) -> k.defaultValue() != null && !(k.defaultValue() instanceof List<?>)
            && !Boolean.FALSE.equals(k.defaultValue()))
        .map(OptionKey::name).toList());
  }

  /** A value of the key's type, different from its default and from every other key's. */
  private static Object sample(OptionKey<?> key, int i) {
    Class<?> type = key.type().valueClass();
    if (type == String.class) {
      return key.name() + "-value";
    } else if (type == Integer.class) {
      return 5000 + i;
    } else if (type == Long.class) {
      return 500_000L + i;
    } else if (type == Double.class) {
      return 0.25 + i;
    } else if (type == Boolean.class) {
      return !(Boolean) key.defaultValue();
    } else if (type == List.class) {
      return List.of(key.name() + "-a", key.name() + "-b");
    }
    throw new AssertionError("no sample for " + key.name() + " of type " + type);
  }

  /** Wrong values for the key's type, with the message each must fail with after the name. */
  private static Map<Object, String> wrongValues(OptionKey<?> key) {
    Class<?> type = key.type().valueClass();
    Map<Object, String> wrong = new LinkedHashMap<>();
    if (type == String.class) {
      wrong.put(5, "must be a string");
      wrong.put(true, "must be a string");
      wrong.put(new JsonArray().add("a"), "must be a string");
    } else if (type == Integer.class || type == Long.class) {
      wrong.put("ten", "must be a whole number");
      wrong.put(1.5, "must be a whole number");
      wrong.put(true, "must be a whole number");
      if (type == Integer.class) {
        wrong.put(1L + Integer.MAX_VALUE, "is out of range");
        wrong.put(Integer.MIN_VALUE - 1L, "is out of range");
      }
    } else if (type == Double.class) {
      wrong.put("x", "must be a number");
      wrong.put(true, "must be a number");
    } else if (type == Boolean.class) {
      wrong.put("true", "must be true or false");
      wrong.put(1, "must be true or false");
    } else if (type == List.class) {
      wrong.put(5, "must be an array of index names");
      wrong.put(" ", "must be an array of index names");
      wrong.put(new JsonArray().add("txindex").add(1), "must be an array of index names");
    }
    return wrong;
  }

  private static Object get(DaemonOptions o, OptionKey<?> key) {
    try {
      String suffix = capitalize(key.name());
      Method getter;
      try {
        getter = DaemonOptions.class.getMethod("get" + suffix);
      } catch (NoSuchMethodException e) {
        getter = DaemonOptions.class.getMethod("is" + suffix);
      }
      return getter.invoke(o);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new AssertionError("no getter for " + key.name(), e);
    } catch (InvocationTargetException e) {
      throw new AssertionError(e.getCause());
    }
  }

  private static Method setter(OptionKey<?> key) {
    String name = "set" + capitalize(key.name());
    return Arrays.stream(DaemonOptions.class.getMethods())
        .filter((Method m) -> m.getName().equals(name) && m.getParameterCount() == 1
            && m.getReturnType() == DaemonOptions.class)
        .findFirst().orElseThrow(() -> new AssertionError("no setter " + name));
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String decapitalize(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static String camelCase(String constant) {
    StringBuilder name = new StringBuilder();
    for (String word : constant.toLowerCase(Locale.ROOT).split("_")) {
      name.append(name.length() == 0 ? word : capitalize(word));
    }
    return name.toString();
  }
}
