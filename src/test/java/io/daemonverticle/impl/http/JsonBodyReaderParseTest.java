package io.daemonverticle.impl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import io.daemonverticle.Actions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * What the front makes of a body once read: nothing for no body, the action's parameters for a
 * JSON object, and a 400's message for anything else, within the action's caps on depth and
 * tokens. The limits on bytes and time, over HTTP, are {@link JsonBodyReaderTest}'s and
 * {@link HttpFrontLimitsTest}'s.
 */
class JsonBodyReaderParseTest {

  private static final JsonFactory RAW_BLOCKS =
      JsonBodyReader.factory(Actions.spec(Actions.RAW_BLOCKS), 10);
  private static final JsonFactory HEX_HASHES =
      JsonBodyReader.factory(Actions.spec(Actions.BLOCK_HEX_HASHES), 10);

  private static JsonObject parse(String body, JsonFactory factory) {
    return JsonBodyReader.parse(Buffer.buffer(body), factory);
  }

  @Test
  void noBodyBlanksAndNullAreNoParameters() {
    assertThat(parse("", RAW_BLOCKS)).isNull();
    assertThat(parse(" \t\r\n", RAW_BLOCKS)).isNull();
    assertThat(parse(" null ", RAW_BLOCKS)).isNull();
  }

  @Test
  void anObjectIsTheParametersInItsOrder() {
    JsonObject body = parse("{\"first\":3,\"count\":2,\"extra\":{\"a\":[1]}}", HEX_HASHES);

    assertThat(body.fieldNames()).containsExactly("first", "count", "extra");
    assertThat(body.getInteger("first")).isEqualTo(3);
    assertThat(body.getInteger("count")).isEqualTo(2);
    assertThat(body.getJsonObject("extra").getJsonArray("a").getInteger(0)).isEqualTo(1);
  }

  @Test
  void anythingButAnObjectIsRefusedWithAnExample() {
    for (String body : new String[] {"[1,2]", "3", "\"text\"", "true"}) {
      assertThatThrownBy(() -> parse(body, RAW_BLOCKS)).as(body)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the request body must be a JSON object of the action's parameters, "
              + "e.g. {\"first\":0,\"count\":3}");
    }
  }

  @Test
  void brokenJsonIsRefusedWithTheFirstLineOfWhatTheParserSaid() {
    assertThatThrownBy(() -> parse("{\"hashes\":[", RAW_BLOCKS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the request body is not JSON within the front's limits: send "
            + "a JSON object of the action's parameters (or no body); ")
        .hasMessageContaining("end-of-input")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> parse("x", RAW_BLOCKS))
        .as("one letter is no blank").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void aBodyDeeperThanTheCapIsRefused() {
    String deep = "{\"a\":" + "[".repeat(BodyLimits.MAX_DEPTH) + "]".repeat(BodyLimits.MAX_DEPTH)
        + "}";
    String deepEnough = "{\"a\":" + "[".repeat(BodyLimits.MAX_DEPTH - 1)
        + "]".repeat(BodyLimits.MAX_DEPTH - 1) + "}";

    assertThat(parse(deepEnough, RAW_BLOCKS)).isNotNull();
    assertThatThrownBy(() -> parse(deep, RAW_BLOCKS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth");
  }

  @Test
  void aBodyOfMoreTokensThanItsActionTakesIsRefused() {
    long tokens = BodyLimits.tokens(Actions.spec(Actions.BLOCK_HEX_HASHES), 10);
    // An object of n numbers is 2 + 2n tokens: the braces, each name and each value.
    StringBuilder fits = new StringBuilder("{");
    for (int i = 0; i < (tokens - 2) / 2; i++) {
      fits.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    String over = fits + ",\"last\":0,\"more\":1}";

    assertThat(parse(fits + "}", HEX_HASHES)).isNotNull();
    assertThatThrownBy(() -> parse(over, HEX_HASHES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Token count (" + (tokens + 1) + ") exceeds the maximum allowed ("
            + tokens + ",");
  }

  @Test
  void anUndeclaredActionsBodyHasTheBaseCaps() {
    JsonFactory unknown = JsonBodyReader.factory(null, 10);
    // 75 tokens: over the base's 64, within rawBlocks' 77 (ten hashes).
    String many = "[" + "0,".repeat(69) + "0]";

    assertThatThrownBy(() -> parse("{\"a\":" + many + "}", unknown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the maximum allowed (64,");
    assertThat(parse("{\"a\":" + many + "}", RAW_BLOCKS)).as("rawBlocks' ten hashes take more")
        .isNotNull();
  }
}
