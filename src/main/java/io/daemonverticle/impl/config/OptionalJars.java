package io.daemonverticle.impl.config;

import java.util.List;

/**
 * The optional dependencies and the features they carry. An application that embeds the
 * service needs vertx-core, vertx-web-client and vertx-circuit-breaker only; the HTTP front,
 * the meters and the config file that {@code DaemonService} follows come with jars of their
 * own, which the library's POM declares optional. Each feature asks here, before any of its
 * classes is touched, whether its jars are on the classpath: a feature that was asked for
 * and cannot run fails the deployment with a message naming what to add, never with a
 * {@code NoClassDefFoundError}.
 */
public final class OptionalJars {

  /**
   * An artifact, and a class it holds that says whether it is on the classpath.
   *
   * @param artifact {@code groupId:artifactId}, as a user adds it to a build
   * @param probe    the binary name of a class in it
   */
  public record Jar(String artifact, String probe) {

    /** Whether the probe class can be found (it is not initialised). */
    public boolean present() {
      try {
        Class.forName(probe, false, OptionalJars.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }

  public static final Jar VERTX_WEB = new Jar("io.vertx:vertx-web",
      "io.vertx.ext.web.Router");
  public static final Jar VERTX_HEALTH_CHECK = new Jar("io.vertx:vertx-health-check",
      "io.vertx.ext.healthchecks.HealthChecks");
  public static final Jar VERTX_MICROMETER = new Jar("io.vertx:vertx-micrometer-metrics",
      "io.vertx.micrometer.backends.BackendRegistries");
  public static final Jar PROMETHEUS = new Jar("io.micrometer:micrometer-registry-prometheus",
      "io.micrometer.prometheusmetrics.PrometheusMeterRegistry");
  public static final Jar VERTX_CONFIG = new Jar("io.vertx:vertx-config",
      "io.vertx.config.ConfigRetriever");
  public static final Jar JEROMQ = new Jar("org.zeromq:jeromq", "org.zeromq.ZContext");

  /** The service's meters: bound when these are present, left out otherwise. */
  public static final List<Jar> METERS = List.of(VERTX_MICROMETER, PROMETHEUS);
  /** The HTTP front ({@code httpPort}): its routes, {@code /health}, and {@code /metrics}. */
  public static final List<Jar> HTTP_FRONT = List.of(VERTX_WEB, VERTX_HEALTH_CHECK,
      VERTX_MICROMETER, PROMETHEUS);
  /** {@code DaemonService}'s config layers and the file it follows. */
  public static final List<Jar> CONFIG_LAYERS = List.of(VERTX_CONFIG);
  /** The tip's ZMQ subscriber ({@code zmqUrl}). */
  public static final List<Jar> ZMQ_TIP = List.of(JEROMQ);

  static final String MODULE_HINT = " (on the module path, also require their modules in your"
      + " module-info.java, or start the JVM with --add-modules)";

  private OptionalJars() {
  }

  /** Whether every one of {@code jars} is on the classpath. */
  public static boolean present(List<Jar> jars) {
    return jars.stream().allMatch(Jar::present);
  }

  /**
   * Null when every one of {@code jars} is on the classpath; else what to tell the user, e.g.
   * "httpPort is set but the HTTP front needs io.vertx:vertx-web and io.vertx:vertx-health-check
   * on the classpath (missing: io.vertx:vertx-web): add them to your dependencies".
   *
   * @param asked   what asked for the feature ("httpPort is set")
   * @param feature the feature ("the HTTP front")
   */
  public static String missing(String asked, String feature, List<Jar> jars) {
    return missing(asked, feature, jars, OptionalJars.class.getModule().isNamed());
  }

  /**
   * As {@link #missing(String, String, List)}; {@code modular}: the library runs as the module
   * io.daemonverticle, whose optional dependencies ({@code requires static}) are resolved only
   * when the application's module requires them or the JVM is told to add them: a jar on the
   * module path is not enough, and the message says so.
   */
  static String missing(String asked, String feature, List<Jar> jars, boolean modular) {
    List<String> absent = jars.stream().filter(jar -> !jar.present()).map(Jar::artifact)
        .toList();
    if (absent.isEmpty()) {
      return null;
    }
    List<String> all = jars.stream().map(Jar::artifact).toList();
    return asked + " but " + feature + " needs " + and(all) + " on the classpath (missing: "
        + String.join(", ", absent) + "): add " + (all.size() == 1 ? "it" : "them")
        + " to your dependencies" + (modular ? MODULE_HINT : "");
  }

  private static String and(List<String> names) {
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " and "
        + names.get(names.size() - 1);
  }
}
