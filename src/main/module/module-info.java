/**
 * DaemonVerticle: a bitcoind-style daemon's JSON-RPC on the Vert.x event bus. The public API is
 * the package {@code io.daemonverticle} (and the command line's {@code io.daemonverticle.cli},
 * which the fat jar's launcher starts); everything under {@code io.daemonverticle.impl} stays
 * closed. The HTTP front, metrics, config layers, clustering, the launcher, ZMQ and the Vector
 * API are optional ({@code requires static}): an application on the module path that turns one
 * on requires its module too (or adds it with {@code --add-modules}).
 *
 * <p>Kept outside {@code src/main/java} on purpose: there it would put the tests, PIT and the
 * javadoc on the module path; the build compiles it apart (pom.xml, module-descriptor).
 */
module io.daemonverticle {
  requires transitive io.vertx.core;
  requires transitive io.vertx.web.client;
  requires io.vertx.circuitbreaker;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  requires static io.vertx.config;
  requires static io.vertx.web;
  requires static io.vertx.healthcheck;
  requires static io.vertx.metrics.micrometer;
  requires static micrometer.core;
  requires static micrometer.registry.prometheus;
  requires static io.vertx.clustermanager.hazelcast;
  requires static com.hazelcast.core;
  requires static io.vertx.launcher.application;
  requires static org.zeromq.jeromq;
  requires static jdk.incubator.vector;

  exports io.daemonverticle;
  exports io.daemonverticle.cli;
}
