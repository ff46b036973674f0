package io.daemonverticle.impl.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.DaemonException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hex checks read each character's class from a table: every char value is tried in a
 * hash and in a raw transaction, so a wrong table entry (or a char past the table's end) shows.
 */
class ParamsTest {

  private static final String HASH =
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

  private static boolean hexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  @Test
  void everyCharIsAHashDigitExactlyWhenItIsHex() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String hash = HASH.substring(0, 17) + (char) c + HASH.substring(18);
      Params params = Params.of(new JsonObject().put("txid", hash));
      if (hexDigit((char) c)) {
        assertThat(params.hash("txid")).as("char %d", c)
            .isEqualTo(hash.toLowerCase(java.util.Locale.ROOT));
      } else {
        assertThatThrownBy(() -> params.hash("txid")).as("char %d", c)
            .isInstanceOfSatisfying(DaemonException.class, (DaemonException e) -> {
              assertThat(e.code()).isEqualTo(400);
              assertThat(e.getMessage())
                  .isEqualTo("txid must be 64 hex characters (a 32-byte hash)");
            });
      }
    }
  }

  @Test
  void everyCharIsARawTxDigitExactlyWhenItIsHex() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String tx = "0100" + (char) c + "0";
      Params params = Params.of(new JsonObject().put("rawtx", tx));
      if (hexDigit((char) c)) {
        assertThat(params.rawTx("rawtx")).as("char %d", c).isEqualTo(tx);
      } else {
        assertThatThrownBy(() -> params.rawTx("rawtx")).as("char %d", c)
            .hasMessage("rawtx must be hex (an even number of 0-9a-f)");
      }
    }
  }

  @Test
  void hashesAreLoweredOnlyWhenTheyHoldUpperCaseAndLengthIsChecked() {
    String upper = HASH.toUpperCase(java.util.Locale.ROOT);
    Params params = Params.of(new JsonObject().put("txids", new JsonArray()
        .add(HASH).add(upper).add(HASH.substring(0, 63) + "F")));
    List<String> hashes = params.hashes("txids", 10);
    assertThat(hashes).containsExactly(HASH, HASH, HASH.substring(0, 63) + "f");
    assertThat(hashes.get(0)).as("a lower-case hash is passed on as it is").isSameAs(HASH);
    for (String wrong : List.of("", HASH.substring(1), HASH + "0", HASH + HASH)) {
      Params bad = Params.of(new JsonObject().put("txids", new JsonArray().add(HASH).add(wrong)));
      assertThatThrownBy(() -> bad.hashes("txids", 10)).as("length %d", wrong.length())
          .hasMessage("txids[1] must be 64 hex characters (a 32-byte hash)");
    }
  }
}
