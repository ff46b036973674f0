package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.Transports;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import org.junit.jupiter.api.Test;

/**
 * Whom the client trusts and how it keeps its connections, as options (fast enough for the
 * mutation gate). That a TLS daemon is really trusted, or refused, by them is
 * {@link HttpTransportTlsTest}'s.
 */
class HttpTransportClientOptionsTest {

  private static HttpClientOptions options(ProxyOptions proxy, String caFile, boolean trustAll) {
    HttpTransport.TransportOptions plain = Transports.options(1);
    return HttpTransport.clientOptions(new HttpTransport.TransportOptions(proxy, caFile,
        trustAll, 1, plain.maxReplyBytes(), 7));
  }

  @Test
  void withNothingToldTheJvmsAuthoritiesAreTrustedAndTheHostChecked() {
    HttpClientOptions options = options(null, null, false);

    assertThat(options.isTrustAll()).isFalse();
    assertThat(options.getTrustOptions()).isNull();
    assertThat(options.isVerifyHost()).isTrue();
    assertThat(options.getProxyOptions()).isNull();
    assertThat(options.isKeepAlive()).isTrue();
    assertThat(options.getKeepAliveTimeout()).isEqualTo(7);
    assertThat(options.getMaxChunkSize()).isEqualTo(HttpTransport.MAX_CHUNK_BYTES);
  }

  @Test
  void trustAllTrustsAnyCertificateForAnyHostEvenWithACaFile() {
    HttpClientOptions options = options(null, "/etc/daemon/ca.pem", true);

    assertThat(options.isTrustAll()).isTrue();
    assertThat(options.isVerifyHost()).isFalse();
    assertThat(options.getTrustOptions()).as("the CA file is not needed").isNull();
  }

  @Test
  void aCaFileIsReadAsJksByItsNameElsePem() {
    HttpClientOptions jks = options(null, "/etc/daemon/ca.jks", false);
    HttpClientOptions pem = options(null, "/etc/daemon/ca.pem", false);

    assertThat(jks.getTrustOptions()).isInstanceOfSatisfying(JksOptions.class,
        (JksOptions store) -> assertThat(store.getPath()).isEqualTo("/etc/daemon/ca.jks"));
    assertThat(pem.getTrustOptions()).isInstanceOfSatisfying(PemTrustOptions.class,
        (PemTrustOptions certs) -> assertThat(certs.getCertPaths())
            .containsExactly("/etc/daemon/ca.pem"));
    assertThat(jks.isVerifyHost()).isTrue();
    assertThat(pem.isVerifyHost()).isTrue();
    assertThat(jks.isTrustAll()).isFalse();
  }

  @Test
  void aProxyIsUsedWhenGiven() {
    ProxyOptions proxy = new ProxyOptions().setHost("127.0.0.1").setPort(3128);

    assertThat(options(proxy, null, false).getProxyOptions()).isNotNull()
        .satisfies((ProxyOptions used) -> assertThat(used.getHost() + ":" + used.getPort())
            .isEqualTo("127.0.0.1:3128"));
  }
}
