package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.impl.config.Redactor;
import io.daemonverticle.impl.kinds.CoinTable;
import io.daemonverticle.testing.PropertyChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ElectrumX's URL forms (sanitize_url / logged_url), and a few it never had to handle. */
class DaemonUrlTest {

  private static final int COIN_PORT = 8332;

  private static DaemonUrl parse(String url) {
    return DaemonUrl.parse(url, COIN_PORT, false);
  }

  @Test
  void emptyIsRejected() {
    assertThatThrownBy(() -> DaemonUrl.parseList("", COIN_PORT, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> DaemonUrl.parseList("   ", COIN_PORT, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> DaemonUrl.parseList(null, COIN_PORT, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    // An empty item in a list is named by its position.
    assertThatThrownBy(() -> DaemonUrl.parseList("http://u:p@h:1/, ", COIN_PORT, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#2")
        .hasMessageContaining("empty");
  }

  @Test
  void credentialsAreRequiredUnlessACookieFileGivesThem() {
    assertThatThrownBy(() -> parse("http://127.0.0.1:8332/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials");
    assertThatThrownBy(() -> parse("http://user@127.0.0.1:8332/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user:pass@");
    DaemonUrl cookie = DaemonUrl.parse("http://127.0.0.1:8332/", COIN_PORT, true);
    assertThat(cookie.hasCredentials()).isFalse();
    assertThat(cookie.endpoint()).isEqualTo("http://127.0.0.1:8332/");
  }

  @Test
  void fullFormIsKeptAndLoggedWithoutCredentials() {
    DaemonUrl url = parse("http://user:pass@127.0.0.1:18443/");
    assertThat(url.credentials().user()).isEqualTo("user");
    assertThat(url.credentials().password()).isEqualTo("pass");
    assertThat(url.endpoint()).isEqualTo("http://127.0.0.1:18443/");
    assertThat(url.toString()).isEqualTo("127.0.0.1:18443/");
    assertThat(url.isTls()).isFalse();
  }

  @Test
  void missingSchemeBecomesHttp() {
    DaemonUrl url = parse("user:pass@127.0.0.1:18443");
    assertThat(url.endpoint()).isEqualTo("http://127.0.0.1:18443/");
    assertThat(url.credentials().password()).isEqualTo("pass");
  }

  @Test
  void missingSlashIsAddedAndExtraSlashesAndSpacesRemoved() {
    assertThat(parse("http://user:pass@127.0.0.1:18443").endpoint())
        .isEqualTo("http://127.0.0.1:18443/");
    assertThat(parse("  http://user:pass@127.0.0.1:18443///  ").endpoint())
        .isEqualTo("http://127.0.0.1:18443/");
  }

  @Test
  void missingPortComesFromTheCoinTable() {
    CoinTable.CoinInfo mainnet = CoinTable.load().find("Bitcoin", "mainnet");
    CoinTable.CoinInfo testnet = CoinTable.load().find("bitcoin", "testnet");
    assertThat(DaemonUrl.parse("user:pass@localhost", mainnet.rpcPort(), false).toString())
        .isEqualTo("localhost:8332/");
    assertThat(DaemonUrl.parse("http://user:pass@localhost/", testnet.rpcPort(), false).port())
        .isEqualTo(18332);
    assertThatThrownBy(() -> DaemonUrl.parse("user:pass@localhost", null, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
  }

  @Test
  void twoUrlsKeepTheirOrder() {
    List<DaemonUrl> urls = DaemonUrl.parseList(
        "http://a:b@127.0.0.1:1/, c:d@127.0.0.2", COIN_PORT, false);
    assertThat(urls).extracting(DaemonUrl::toString)
        .containsExactly("127.0.0.1:1/", "127.0.0.2:8332/");
    assertThat(urls).extracting((DaemonUrl u) -> u.credentials().user()).containsExactly("a", "c");
  }

  @Test
  void ipv6InBrackets() {
    DaemonUrl url = parse("http://user:pass@[::1]:18443/");
    assertThat(url.host()).isEqualTo("[::1]");
    assertThat(url.socketHost()).isEqualTo("::1");
    assertThat(url.endpoint()).isEqualTo("http://[::1]:18443/");
    assertThat(url.toString()).isEqualTo("[::1]:18443/");
    assertThat(parse("user:pass@[fe80::1]").toString()).isEqualTo("[fe80::1]:8332/");
    assertThatThrownBy(() -> parse("user:pass@[::1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv6");
  }

  @Test
  void passwordMayContainAtSignsAndColons() {
    DaemonUrl url = parse("http://user:p@ss:w@rd@127.0.0.1:18443/");
    assertThat(url.credentials().user()).isEqualTo("user");
    assertThat(url.credentials().password()).isEqualTo("p@ss:w@rd");
    assertThat(url.toString()).isEqualTo("127.0.0.1:18443/");
    assertThat(parse("user:p%40ss@127.0.0.1:1").credentials().password()).isEqualTo("p@ss");
  }

  @Test
  void httpsIsKept() {
    DaemonUrl url = parse("https://user:pass@node.example:443");
    assertThat(url.isTls()).isTrue();
    assertThat(url.endpoint()).isEqualTo("https://node.example:443/");
  }

  @Test
  void badSchemeAndPortsAreRejected() {
    assertThatThrownBy(() -> parse("ftp://user:pass@h:1/")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> parse("user:pass@h:0")).hasMessageContaining("port");
    assertThatThrownBy(() -> parse("user:pass@h:65536")).hasMessageContaining("port");
    assertThatThrownBy(() -> parse("user:pass@h:")).hasMessageContaining("port");
    assertThatThrownBy(() -> parse("user:pass@h:12ab")).hasMessageContaining("after the port");
    assertThatThrownBy(() -> parse("user:pass@:1")).hasMessageContaining("host");
  }

  @Test
  void errorsNeverRepeatThePassword() {
    for (String bad : List.of("http://user:T0pSecret@h:99999/", "ftp://user:T0pSecret@h:1/",
        "user:T0pSecret@[zz]:1", "http://user:T0pSecret@h:1/x y,")) {
      assertThatThrownBy(() -> DaemonUrl.parseList(bad, COIN_PORT, false))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("T0pSecret"));
    }
  }

  @Test
  void whatTheParserTakesAsCredentialsIsWhatTheRedactorMasks() {
    // Every character a password may hold in a URL (a comma ends the URL in a list), raw or as
    // a percent-escape: the parser and the masking find the same last '@'.
    PropertyChecks.check(600, PropertyChecks.stringsOf("aZ09/@:%2F40?#[]!$&'()*+;=~._- ",
        PropertyChecks.intsIn(1, 24)), (String password) -> {
          for (String url : List.of("http://rpcuser:" + password + "@127.0.0.1:8332/",
              "rpcuser:" + password + "@[::1]:8332")) {
            DaemonUrl parsed;
            try {
              parsed = parse(url);
            } catch (IllegalArgumentException rejected) {
              continue;
            }
            String masked = Redactor.maskUrlList(url);
            assertThat(masked).as(url).endsWith("***@" + parsed.host() + ":8332"
                + (url.endsWith("/") ? "/" : "")).doesNotContain("rpcuser");
            if (password.strip().equals(password) && !password.contains(" ")) {
              assertThat(Redactor.none().redact("daemonUrl: " + url + " -> x"))
                  .as(url).isEqualTo("daemonUrl: " + masked + " -> x");
            }
          }
        });
  }
}
