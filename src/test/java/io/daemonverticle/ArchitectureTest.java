package io.daemonverticle;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The code map's arrows (src/site/markdown/architecture.md), checked on the compiled classes:
 * each room depends only on the rooms below it, the rooms have no cycle, and the command line
 * uses the public API only.
 */
class ArchitectureTest {

  private static final String IMPL = "io.daemonverticle.impl.";
  /**
   * The rooms from the top down: a room may use those after it, never those before it.
   * cluster sits beside the request path (used by kinds and service, using resilience's
   * deadlines); codec and config are beneath everything but time, the one source of the
   * clock and timers.
   */
  private static final List<String> ROOMS_TOP_DOWN = List.of("http", "metrics", "service",
      "bus", "kinds", "blocks", "jsonrpc", "cluster", "resilience", "transport", "codec",
      "config", "time");

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.daemonverticle");
  }

  @Test
  void theRoomsHaveNoCycle() {
    slices().matching("io.daemonverticle.impl.(*)..").should().beFreeOfCycles()
        .check(classes);
  }

  @Test
  void noRoomUsesARoomAboveIt() {
    for (int i = 1; i < ROOMS_TOP_DOWN.size(); i++) {
      String room = ROOMS_TOP_DOWN.get(i);
      String[] above = ROOMS_TOP_DOWN.subList(0, i).stream().map(r -> IMPL + r + "..")
          .toArray(String[]::new);
      noClasses().that().resideInAPackage(IMPL + room + "..")
          .should().dependOnClassesThat().resideInAnyPackage(above)
          .because("the arrows of the code map point one way, from " + room + " down")
          .check(classes);
    }
  }

  @Test
  void metricsAndTheHttpFrontAreOutsideTheService() {
    // The public package assembles the service and the command line calls the HTTP front:
    // everything else is the service.
    noClasses().that().resideOutsideOfPackages(IMPL + "metrics..", IMPL + "http..",
            "io.daemonverticle", "io.daemonverticle.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", IMPL + "metrics..",
            "io.vertx.ext.web", "io.vertx.ext.web.handler..", "io.vertx.ext.healthchecks..",
            IMPL + "http..")
        .because("the service runs without its meters and its HTTP front: they hang on "
            + "listeners the service defines")
        .check(classes);
  }

  @Test
  void theOptionalJarsAreNamedWhereTheyAreCheckedFirst() {
    // DaemonVerticle and DaemonService load without the optional jars (OptionalJars): of the
    // public package, only Meters, reached once they were found, names their types.
    noClasses().that().resideInAPackage("io.daemonverticle")
        .and().doNotHaveSimpleName("Meters")
        .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", IMPL + "metrics..",
            "io.vertx.ext.web", "io.vertx.ext.web.handler..", "io.vertx.ext.healthchecks..",
            "io.vertx.micrometer..")
        .because("an embedder's classpath may lack them (see OptionalJars)")
        .check(classes);
    noClasses().that().resideOutsideOfPackages("io.daemonverticle.cli..")
        .and().doNotHaveFullyQualifiedName(DaemonService.class.getName())
        .and().doNotHaveFullyQualifiedName("io.daemonverticle.impl.config.ConfigSources")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.config..")
        .because("only DaemonService layers config with vertx-config, after checking for it")
        .check(classes);
  }

  @Test
  void theCommandLineUsesThePublicApiOnly() {
    noClasses().that().resideInAPackage("io.daemonverticle.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.daemonverticle.impl..")
        .check(classes);
  }
}
