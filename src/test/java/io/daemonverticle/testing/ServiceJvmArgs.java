package io.daemonverticle.testing;

import java.util.List;

/** What a service JVM a test starts is given: the pom's {@code service.jvm.args}. */
public final class ServiceJvmArgs {

  /** The Vector API module and what Hazelcast asks for on Java 17. */
  public static final List<String> ALL = List.of(
      "--add-modules", "java.se,jdk.incubator.vector",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private ServiceJvmArgs() {
  }
}
