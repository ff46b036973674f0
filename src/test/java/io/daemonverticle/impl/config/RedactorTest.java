package io.daemonverticle.impl.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one masking routine: URL shapes, Authorization values, known secrets, daemon text. */
class RedactorTest {

  private static final Redactor NONE = Redactor.none();

  private static List<String> base64Forms(String userPass) {
    byte[] bytes = userPass.getBytes(StandardCharsets.UTF_8);
    return List.of(Base64.getEncoder().encodeToString(bytes),
        Base64.getEncoder().withoutPadding().encodeToString(bytes),
        Base64.getUrlEncoder().encodeToString(bytes),
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  @Test
  void aPasswordWithSlashAndAtIsMaskedUpToTheLastAt() {
    assertThat(NONE.redact("daemonUrl: http://u:se/cr@t@127.0.0.1:8332/ -> http://127.0.0.1:1/"))
        .isEqualTo("daemonUrl: http://***@127.0.0.1:8332/ -> http://127.0.0.1:1/");
    assertThat(NONE.redact("daemonUrl: http://rpcuser:se/cret@127.0.0.1:8332/"))
        .isEqualTo("daemonUrl: http://***@127.0.0.1:8332/");
  }

  @Test
  void percentEscapesStayInsideTheMaskedUserInfo() {
    assertThat(NONE.redact("https://u:a%2Fb%40c@host/")).isEqualTo("https://***@host/");
    assertThat(NONE.redact("at https://u:a%2fb%3Ac%25@host:1/x.")).isEqualTo(
        "at https://***@host:1/x.");
  }

  @Test
  void aUrlWithoutSchemeIsMaskedWhenItHoldsUserAndPassword() {
    assertThat(NONE.redact("u:p@host:1")).isEqualTo("***@host:1");
    assertThat(NONE.redact("daemonUrl: u:se/cr@t@host:1 -> host:2"))
        .isEqualTo("daemonUrl: ***@host:1 -> host:2");
    // Ordinary text with an '@' but no password stays as it is.
    assertThat(NONE.redact("mail admin@example.com at 12:00")).isEqualTo(
        "mail admin@example.com at 12:00");
  }

  @Test
  void everyUrlOfACommaSeparatedListIsMasked() {
    String list = "http://a:b/c@h1:1/,u:p@h2,https://x:y@z@[::1]:8332/";
    String masked = "http://***@h1:1/,***@h2,https://***@[::1]:8332/";
    assertThat(Redactor.maskUrlList(list)).isEqualTo(masked);
    assertThat(NONE.redact("daemonUrl: " + list)).isEqualTo("daemonUrl: " + masked);
    // As a config value, a segment is masked whole: its password may hold a space.
    assertThat(Redactor.maskUrlList("http://u:p ss@h:1/, http://127.0.0.1:2/"))
        .isEqualTo("http://***@h:1/, http://127.0.0.1:2/");
  }

  @Test
  void ipv6HostsKeepTheirBrackets() {
    assertThat(NONE.redact("http://u:p@[::1]:8332/")).isEqualTo("http://***@[::1]:8332/");
    assertThat(NONE.redact("\"url\":\"http://u:p:q@[2001:db8::1]/\"")).isEqualTo(
        "\"url\":\"http://***@[2001:db8::1]/\"");
  }

  @Test
  void urlsWithoutCredentialsAreUnchanged() {
    for (String text : List.of("http://127.0.0.1:8332/", "127.0.0.1:8332/", "[::1]:8332/",
        "connection problem with 127.0.0.1:1/: Connection refused")) {
      assertThat(NONE.redact(text)).isEqualTo(text);
      assertThat(Redactor.maskUrlList(text)).isEqualTo(text);
    }
  }

  @Test
  void theUserInfoEndsAtTheLastAtAfterTheScheme() {
    assertThat(Redactor.userInfoEnd("http://u:se/cr@t@h:1/")).isEqualTo(16);
    assertThat(Redactor.userInfoEnd("u:p@h:1")).isEqualTo(3);
    assertThat(Redactor.userInfoEnd("http://h:1/")).isEqualTo(-1);
    // An '@' before "://" is not user info of the URL after it.
    assertThat(Redactor.userInfoEnd("x@y http://h:1/")).isEqualTo(-1);
  }

  @Test
  void authorizationValuesAreMasked() {
    String basic = "Basic " + base64Forms("u:p").get(0);
    assertThat(NONE.redact("Unauthorized: " + basic)).isEqualTo("Unauthorized: Basic ***");
    assertThat(NONE.redact("Authorization: " + basic + "\r\nHost: x"))
        .isEqualTo("Authorization: ***\r\nHost: x");
    assertThat(NONE.redact("<pre>Proxy-Authorization: Negotiate YIIB+gYGKwYBBQUCoII=</pre>"))
        .isEqualTo("<pre>Proxy-Authorization: ***</pre>");
    // Inside JSON text the mask ends at the string's end: the JSON stays JSON.
    assertThat(NONE.redact("{\"message\":\"Authorization: " + basic + "\",\"code\":-1}"))
        .isEqualTo("{\"message\":\"Authorization: ***\",\"code\":-1}");
    assertThat(NONE.redact("{\"authorization\":\"" + basic + "\"}"))
        .isEqualTo("{\"authorization\":\"***\"}");
    assertThat(NONE.redact("sent bearer eyJhbGciOi.eyJzdWIi.SflKxw-_ ok"))
        .isEqualTo("sent bearer *** ok");
    assertThat(NONE.redact("BASIC dXNlcjpwYXNzd29yZA== then")).isEqualTo("BASIC *** then");
    // A challenge carries no credentials.
    assertThat(NONE.redact("WWW-Authenticate: Basic realm=\"jsonrpc\""))
        .isEqualTo("WWW-Authenticate: Basic realm=\"jsonrpc\"");
  }

  @Test
  void knownCredentialsAreRemovedInEveryForm() {
    Redactor known = NONE.withCredentials("rpcuser", "se/cr@t");
    StringBuilder text = new StringBuilder("echo: se/cr@t | rpcuser:se/cr@t | se%2Fcr%40t | "
        + "se%2fcr%40t | ");
    base64Forms("rpcuser:se/cr@t").forEach((String b) -> text.append(b).append(" | "));
    String masked = known.redact(text.toString());
    assertThat(masked).doesNotContain("se/cr").doesNotContain("cr@t").doesNotContain("cr%40t");
    base64Forms("rpcuser:se/cr@t").forEach((String b) -> assertThat(masked).doesNotContain(b));
    assertThat(masked).startsWith("echo: *** | ");
  }

  @Test
  void aPasswordWithPlusAndSpaceIsFoundInItsEncodedForms() {
    Redactor known = NONE.withCredentials("u", "a b+c/d");
    assertThat(known.redact("x a+b%2Bc%2Fd y a%20b%2Bc%2Fd z a b+c/d"))
        .isEqualTo("x *** y *** z ***");
  }

  @Test
  void aShortOrEmbeddedPasswordLeavesOrdinaryWordsAlone() {
    // "pass" inside "passed" is not the password; a password shorter than four characters is
    // not searched for alone (it would eat ordinary text), but its Basic form still is.
    Redactor known = NONE.withCredentials("user", "pass").withCredentials("u", "p");
    assertThat(known.redact("deadline passed; user:pass; (pass); dTpw"))
        .isEqualTo("deadline passed; ***; (***); ***");
  }

  @Test
  void aSecretWithoutUserIsRemovedToo() {
    Redactor known = NONE.withSecret("tok-123456").withSecret(null).withSecret("");
    assertThat(known.redact("token tok-123456 given")).isEqualTo("token *** given");
  }

  @Test
  void aJsonErrorHasEachOfItsStringsRedacted() {
    Redactor known = NONE.withCredentials("__cookie__", "9f86d081884c7d659a2f");
    JsonObject error = new JsonObject().put("code", -26).put("message",
        "bad \"auth\" __cookie__:9f86d081884c7d659a2f\nAuthorization: Basic dTpw")
        .put("more", new JsonArray().add("9f86d081884c7d659a2f").add(7));
    assertThat(known.redactJson(error)).isEqualTo(new JsonObject().put("code", -26)
        .put("message", "bad \"auth\" ***\nAuthorization: ***")
        .put("more", new JsonArray().add("***").add(7)));
    assertThat(error.getString("message")).as("the original is left alone").contains("9f86");
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    Redactor known = NONE.withCredentials("rpcuser", "se/cr@t");
    String once = known.redact("http://rpcuser:se/cr@t@h:1/ Authorization: Basic "
        + base64Forms("rpcuser:se/cr@t").get(0) + " Bearer abcdefgh");
    assertThat(known.redact(once)).isEqualTo(once);
  }

  @Test
  void daemonTextIsMaskedCleanedAndBounded() {
    Redactor known = NONE.withCredentials("rpcuser", "s3cret-Pa55word");
    assertThat(known.daemonText("Unauthorized\r\nAuthorization: Basic dTpw\r\n\u0000\u202e x"))
        .isEqualTo("Unauthorized Authorization: *** x");
    String page = "x".repeat(1000);
    assertThat(known.daemonText(page)).isEqualTo("x".repeat(Redactor.MAX_DAEMON_TEXT) + "...");
    // Masked before it is cut: no first half of the password survives the cut.
    String straddling = "y".repeat(Redactor.MAX_DAEMON_TEXT - 5) + " s3cret-Pa55word";
    assertThat(known.daemonText(straddling)).doesNotContain("s3cr").startsWith("yyy");
    assertThat(known.daemonText(null)).isEmpty();
  }
}
