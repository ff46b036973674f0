package io.daemonverticle.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored tip chain: what it keeps of unconfirmed publications, and what it refuses. */
class TipChainTest {

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private static TipEvent event(int height, String hash, long seq) {
    return new TipEvent(new Tip(height, hash), new Tip(height - 1, A), null, TipEvent.ZMQ, seq);
  }

  @Test
  void unconfirmedPublicationsSurviveTheMapAndGoWhenConfirmed() throws Exception {
    TipChain chain = TipChain.of(5, 9, List.of(A, B)).awaiting(List.of(event(10, B, 5)));
    TipChain read = TipChain.decode(chain.encode());
    assertThat(read.unconfirmed()).containsExactly(event(10, B, 5));
    assertThat(read.seq()).isEqualTo(5);
    assertThat(read.tip()).isEqualTo(new Tip(10, B));
    TipChain confirmed = TipChain.decode(read.confirmed().encode());
    assertThat(confirmed.unconfirmed()).isEmpty();
    assertThat(new JsonObject(read.confirmed().encode()).containsKey("unconfirmed")).isFalse();
    assertThat(confirmed.tip()).isEqualTo(new Tip(10, B));
  }

  @Test
  void unconfirmedPublicationsThatAreNotTheChainsLastAreRefused() {
    JsonObject stored = new JsonObject(TipChain.of(5, 9, List.of(A, B)).encode());
    // Republished as they are, they must end at the chain's seq.
    String wrongSeq = stored.copy().put("unconfirmed",
        new JsonArray().add(event(10, B, 4).toJson())).encode();
    assertThatThrownBy(() -> TipChain.decode(wrongSeq)).isInstanceOf(TipChain.Unusable.class)
        .hasMessageContaining("do not end at its seq");
    String notEvents = stored.copy().put("unconfirmed", new JsonArray().add(new JsonObject()
        .put("height", "x"))).encode();
    assertThatThrownBy(() -> TipChain.decode(notEvents)).isInstanceOf(TipChain.Unusable.class)
        .hasMessageContaining("not publications");
  }
}
