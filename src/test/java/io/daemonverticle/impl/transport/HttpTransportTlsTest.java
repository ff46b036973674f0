package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.transport.ScriptedServer.Recorder;
import io.daemonverticle.testing.Transports;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whom the transport trusts: a daemon's certificate when told so (all, or by a CA file in PEM
 * or JKS), none otherwise. Left out of the quick mutation gate: a certificate made and a TLS
 * stack started in each fresh test JVM cost more than PIT's time limit allows a test. The
 * options it relies on are asserted in the gate by {@link HttpTransportClientOptionsTest}.
 */
class HttpTransportTlsTest {

  private static SelfSignedCertificate cert;

  @TempDir
  Path dir;
  private final OneLoop loop = new OneLoop();

  @BeforeAll
  static void makeCertificate() throws Exception {
    cert = new SelfSignedCertificate("localhost");
  }

  @AfterAll
  static void deleteCertificate() {
    cert.delete();
  }

  @AfterEach
  void stop() throws Exception {
    loop.close();
  }

  private ScriptedServer tlsServer() throws Exception {
    return ScriptedServer.start(loop.vertx, new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(cert.certificate().getPath())
            .setKeyPath(cert.privateKey().getPath())))
        .await(10, TimeUnit.SECONDS);
  }

  private HttpTransport transport(String caFile, boolean trustAll) {
    HttpTransport.TransportOptions plain = Transports.options(1);
    return Transports.of(loop.vertx, loop.time, new HttpTransport.TransportOptions(null, caFile, trustAll,
        1, plain.maxReplyBytes(), plain.keepAliveSeconds()), null);
  }

  private AsyncResult<Buffer> post(ScriptedServer server, HttpTransport transport)
      throws Exception {
    return loop.post(server, transport, server.url(), new Recorder());
  }

  @Test
  void aDaemonCertificateIsTrustedOnlyWhenToldSo() throws Exception {
    ScriptedServer server = tlsServer();
    Path jks = dir.resolve("ca.jks");
    KeyStore store = KeyStore.getInstance("JKS");
    store.load(null, null);
    store.setCertificateEntry("daemon", cert.cert());
    try (OutputStream out = Files.newOutputStream(jks)) {
      store.store(out, "changeit".toCharArray());
    }

    AsyncResult<Buffer> untrusted = post(server, transport(null, false));
    OneLoop.answered(post(server, transport(null, true)));
    OneLoop.answered(post(server, transport(cert.certificate().getPath(), false)));
    OneLoop.answered(post(server, transport(jks.toString(), false)));

    assertThat(untrusted.failed()).as("a self-signed certificate, not trusted").isTrue();
    assertThat(((TransientFailure) untrusted.cause()).kind())
        .isEqualTo(TransientFailure.Kind.CONNECTION);
    assertThat(server.seen()).as("the untrusted daemon was sent nothing").hasSize(3);
  }
}
