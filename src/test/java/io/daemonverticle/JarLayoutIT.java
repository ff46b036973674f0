package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What `mvn package` builds: a library jar that imposes no cluster or logging config on the
 * projects that depend on it, and a fat jar that runs as the service, with conf/'s copies of
 * both and the project's launcher. Needs the jars: runs in failsafe's phase, after package.
 */
class JarLayoutIT {

  private static final Path BASE = Path.of(System.getProperty("project.basedir", "."));
  private static final Path THIN = Path.of(System.getProperty("thin.jar",
      "target/daemon-verticle-0.1.0-SNAPSHOT.jar"));
  private static final Path FAT = Path.of(System.getProperty("fat.jar",
      "target/daemon-verticle-fat.jar"));

  @Test
  void theLibraryJarCarriesNoServiceConfig() throws IOException {
    try (JarFile jar = new JarFile(THIN.toFile())) {
      assertThat(jar.getEntry("cluster.xml")).as("cluster.xml in the library jar").isNull();
      assertThat(jar.getEntry("logback.xml")).as("logback.xml in the library jar").isNull();
      assertThat(jar.getEntry("logback-test.xml")).isNull();
      assertThat(jar.getEntry("io/daemonverticle/DaemonVerticle.class")).isNotNull();
    }
  }

  /**
   * The library is the module io.daemonverticle, open to its users through the public API
   * only (src/it/sealed sees the compiler refuse the rest); the fat jar runs on the class path
   * and carries no descriptor of ours or its dependencies'.
   */
  @Test
  void theLibraryJarIsAModuleExportingTheApiOnly() throws IOException {
    try (JarFile jar = new JarFile(THIN.toFile())) {
      ModuleDescriptor module;
      try (InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
        module = ModuleDescriptor.read(in);
      }
      assertThat(module.name()).isEqualTo("io.daemonverticle");
      assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source)
          .containsExactlyInAnyOrder("io.daemonverticle", "io.daemonverticle.cli");
      assertThat(module.exports()).allMatch(export -> !export.isQualified());
      assertThat(module.packages()).contains("io.daemonverticle.impl.bus");
      assertThat(module.requires()).filteredOn(r -> r.name().equals("io.vertx.web"))
          .singleElement().satisfies(r -> assertThat(r.modifiers())
              .contains(ModuleDescriptor.Requires.Modifier.STATIC));
    }
    try (JarFile fat = new JarFile(FAT.toFile())) {
      assertThat(fat.getEntry("module-info.class")).as("a descriptor in the fat jar").isNull();
    }
  }

  @Test
  void theFatJarCarriesConfsCopiesAndTheLauncher() throws IOException {
    try (JarFile jar = new JarFile(FAT.toFile())) {
      assertThat(bytes(jar, "cluster.xml")).as("the fat jar's cluster.xml")
          .isEqualTo(Files.readAllBytes(BASE.resolve("conf/cluster.xml")));
      assertThat(bytes(jar, "logback.xml")).as("the fat jar's logback.xml")
          .isEqualTo(Files.readAllBytes(BASE.resolve("conf/logback.xml")));
      Attributes manifest = jar.getManifest().getMainAttributes();
      assertThat(manifest.getValue("Main-Class")).isEqualTo("io.daemonverticle.cli.DaemonLauncher");
      assertThat(manifest.getValue("Main-Verticle")).isEqualTo(DaemonService.class.getName());
      // What -cluster and logging need at run time, which the library leaves optional.
      assertThat(jar.getEntry("io/vertx/spi/cluster/hazelcast/HazelcastClusterManager.class"))
          .isNotNull();
      assertThat(jar.getEntry("ch/qos/logback/classic/Logger.class")).isNotNull();
      // The native transport the launcher prefers: its classes and its Linux x86-64 library.
      assertThat(jar.getEntry("META-INF/native/libnetty_transport_native_epoll_x86_64.so"))
          .isNotNull();
      assertThat(jar.getEntry("io/netty/channel/epoll/Epoll.class")).isNotNull();
      // The features an embedder adds jars for (OptionalJars): the fat jar has them all.
      for (String probe : List.of("io.vertx.ext.web.Router",
          "io.vertx.ext.healthchecks.HealthChecks", "io.vertx.micrometer.backends.BackendRegistries",
          "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
          "io.vertx.config.ConfigRetriever", "org.zeromq.ZContext")) {
        assertThat(jar.getEntry(probe.replace('.', '/') + ".class")).as(probe).isNotNull();
      }
    }
  }

  @Test
  void sourcesAndJavadocJarsAreBuilt() throws IOException {
    String thin = THIN.getFileName().toString();
    Path sources = THIN.resolveSibling(thin.replace(".jar", "-sources.jar"));
    Path javadoc = THIN.resolveSibling(thin.replace(".jar", "-javadoc.jar"));
    try (JarFile jar = new JarFile(sources.toFile())) {
      assertThat(jar.getEntry("io/daemonverticle/DaemonClient.java")).isNotNull();
    }
    try (JarFile jar = new JarFile(javadoc.toFile())) {
      assertThat(jar.stream().map(ZipEntry::getName))
          .anyMatch((String name) -> name.endsWith("io/daemonverticle/DaemonClient.html"));
    }
  }

  /**
   * Depending projects get vertx-core, vertx-web-client, vertx-circuit-breaker and slf4j-api,
   * and nothing else: the cluster manager, the launcher, logback, the native transport, the
   * HTTP front's, the meters' and the config layers' jars are optional (the consumer build,
   * src/it/consumer, checks what a user's build resolves).
   */
  @Test
  void onlyTheEmbeddingDependenciesAreRequired() throws Exception {
    Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(BASE.resolve("pom.xml").toFile()).getDocumentElement();
    NodeList dependencies = ((Element) children(project, "dependencies").get(0))
        .getElementsByTagName("dependency");
    List<String> required = new ArrayList<>();
    List<String> optional = new ArrayList<>();
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      if (text(dependency, "scope").equals("test")) {
        continue;
      }
      String artifact = text(dependency, "artifactId");
      (text(dependency, "optional").equals("true") ? optional : required).add(artifact);
    }
    assertThat(required).containsExactlyInAnyOrder("vertx-core", "vertx-web-client",
        "vertx-circuit-breaker", "slf4j-api");
    assertThat(optional).contains("vertx-hazelcast", "vertx-launcher-application",
        "logback-classic", "netty-transport-native-epoll", "vertx-web", "vertx-health-check",
        "vertx-micrometer-metrics", "micrometer-registry-prometheus", "vertx-config", "jeromq");
  }

  private static List<Node> children(Element parent, String tag) {
    List<Node> found = new ArrayList<>();
    for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element element && element.getTagName().equals(tag)) {
        found.add(child);
      }
    }
    return found;
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
  }

  private static byte[] bytes(JarFile jar, String name) throws IOException {
    ZipEntry entry = jar.getEntry(name);
    assertThat(entry).as(name + " in " + jar.getName()).isNotNull();
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }
}
