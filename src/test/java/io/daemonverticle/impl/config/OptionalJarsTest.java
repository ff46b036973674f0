package io.daemonverticle.impl.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.config.OptionalJars.Jar;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The presence checks and their message. That the service really deploys without the optional
 * jars, and fails with this message when a feature needs them, is shown by the consumer build
 * (src/it/consumer), whose classpath lacks them.
 */
class OptionalJarsTest {

  private static final Jar ABSENT = new Jar("org.example:absent", "org.example.absent.Nothing");
  private static final Jar ALSO_ABSENT = new Jar("org.example:gone", "org.example.Gone");

  @Test
  void aJarIsPresentWhenItsProbeClassIsOnTheClasspath() {
    assertThat(ABSENT.present()).isFalse();
    assertThat(new Jar("io.vertx:vertx-core", "io.vertx.core.Vertx").present()).isTrue();
    // This build carries every optional jar (the fat jar's classpath).
    assertThat(OptionalJars.present(OptionalJars.HTTP_FRONT)).isTrue();
    assertThat(OptionalJars.present(OptionalJars.CONFIG_LAYERS)).isTrue();
    assertThat(OptionalJars.present(List.of(OptionalJars.VERTX_WEB, ABSENT))).isFalse();
  }

  @Test
  void everyProbeIsAClassOfItsArtifact() {
    List<Jar> all = List.of(OptionalJars.VERTX_WEB, OptionalJars.VERTX_HEALTH_CHECK,
        OptionalJars.VERTX_MICROMETER, OptionalJars.PROMETHEUS, OptionalJars.VERTX_CONFIG,
        OptionalJars.JEROMQ);
    for (Jar jar : all) {
      assertThat(jar.present()).as(jar.artifact()).isTrue();
      String artifactId = jar.artifact().substring(jar.artifact().indexOf(':') + 1);
      String location = classLocation(jar.probe());
      assertThat(location).as(jar.probe()).contains("/" + artifactId + "-");
    }
  }

  @Test
  void nothingIsMissingWhenEveryJarIsThere() {
    assertThat(OptionalJars.missing("httpPort is set", "the HTTP front",
        OptionalJars.HTTP_FRONT)).isNull();
  }

  @Test
  void theMessageNamesWhatAskedTheNeededArtifactsAndTheMissingOnes() {
    assertThat(OptionalJars.missing("httpPort is set", "the HTTP front",
        List.of(OptionalJars.VERTX_WEB, ABSENT, ALSO_ABSENT)))
        .isEqualTo("httpPort is set but the HTTP front needs io.vertx:vertx-web, "
            + "org.example:absent and org.example:gone on the classpath (missing: "
            + "org.example:absent, org.example:gone): add them to your dependencies");
    assertThat(OptionalJars.missing("DaemonService is deployed", "its layered config",
        List.of(ABSENT)))
        .isEqualTo("DaemonService is deployed but its layered config needs org.example:absent "
            + "on the classpath (missing: org.example:absent): add it to your dependencies");
  }

  /**
   * As a named module the library's optional modules are resolved only when asked for: the
   * message says how (src/it/modular sees it on a real module path). On the class path (these
   * tests) it does not.
   */
  @Test
  void onTheModulePathTheMessageAlsoSaysToRequireTheModules() {
    String modular = OptionalJars.missing("httpPort is set", "the HTTP front", List.of(ABSENT),
        true);
    assertThat(modular).endsWith("add it to your dependencies (on the module path, also require "
        + "their modules in your module-info.java, or start the JVM with --add-modules)");
    assertThat(OptionalJars.missing("httpPort is set", "the HTTP front", List.of(ABSENT)))
        .isEqualTo(OptionalJars.missing("httpPort is set", "the HTTP front", List.of(ABSENT),
            false))
        .endsWith("add it to your dependencies");
  }

  private static String classLocation(String className) {
    try {
      return Class.forName(className, false, OptionalJarsTest.class.getClassLoader())
          .getProtectionDomain().getCodeSource().getLocation().toString();
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
