package io.daemonverticle.impl.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The process's registry: what it is told is masked everywhere its routine is used. */
class SecretsTest {

  @Test
  void whatIsRegisteredIsMaskedFromThenOn() {
    String password = "pw-" + UUID.randomUUID();
    String token = "tok-" + UUID.randomUUID();
    String basic = Base64.getEncoder().encodeToString(("rpc:" + password)
        .getBytes(StandardCharsets.UTF_8));
    String text = "echo " + password + " " + token + " " + basic;
    assertThat(Secrets.mask(text)).contains(password);
    Secrets.register("rpc", password);
    Secrets.registerSecret(token);
    Secrets.register("rpc", password);
    assertThat(Secrets.mask(text)).isEqualTo("echo *** *** ***");
    assertThat(Secrets.daemonText(text + "\n" + "x".repeat(300))).startsWith("echo *** *** *** x")
        .endsWith("...");
    assertThat(Secrets.redactor().redact(text)).isEqualTo("echo *** *** ***");
  }

  @Test
  void nothingIsNotASecret() {
    Redactor before = Secrets.redactor();
    Secrets.register("rpc", null);
    Secrets.register("rpc", "");
    Secrets.registerSecret(null);
    assertThat(Secrets.redactor()).isSameAs(before);
  }
}
