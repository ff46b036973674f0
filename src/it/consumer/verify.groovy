// What Maven resolved for the consumer at run time (maven-dependency-plugin's list): the
// library and what vertx-core, vertx-web-client and vertx-circuit-breaker bring, none of the
// library's optional dependencies.
def listed = new File(basedir, 'target/runtime-dependencies.txt').readLines()
    .collect { it.trim() }
    .findAll { it ==~ /[^: ]+:[^: ]+:.*/ }
    .collect { it.split(':') }
    .collect { it[0] + ':' + it[1] }
println "consumer runtime dependencies: ${listed.sort()}"
assert listed.contains('io.daemonverticle:daemon-verticle')
['io.vertx:vertx-core', 'io.vertx:vertx-web-client', 'io.vertx:vertx-circuit-breaker',
 'org.slf4j:slf4j-api'].each { assert listed.contains(it): "$it missing" }
def optional = ['io.vertx:vertx-web', 'io.vertx:vertx-health-check', 'io.vertx:vertx-config',
    'io.vertx:vertx-micrometer-metrics', 'io.vertx:vertx-hazelcast',
    'io.vertx:vertx-launcher-application', 'io.netty:netty-transport-native-epoll',
    'ch.qos.logback:logback-classic']
def forbidden = listed.findAll { dep ->
  dep in optional || dep.startsWith('io.micrometer:') || dep.startsWith('io.prometheus:')
      || dep.startsWith('com.hazelcast:') || dep.startsWith('ch.qos.logback:')
      || dep.startsWith('org.zeromq:') || dep.startsWith('info.picocli:')
}
assert forbidden.isEmpty(): "optional artifacts resolved for a user: $forbidden"
// Nothing from outside the stack the three Vert.x artifacts need.
def groups = listed.collect { it.split(':')[0] } as Set
assert groups - ['io.daemonverticle', 'io.vertx', 'io.netty', 'com.fasterxml.jackson.core',
    'org.slf4j'] == [] as Set: "unexpected groups: $groups"
return true
