package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.impl.codec.BlockHash;
import io.daemonverticle.impl.codec.ByteCursor;
import io.daemonverticle.impl.codec.TxId;
import io.daemonverticle.impl.codec.Vectors;
import io.daemonverticle.testing.FakeDaemon;
import io.daemonverticle.testing.Fault;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A broadcast whose reply is lost (issue 31): the daemon took the transaction, the connection
 * dropped before its answer, the retry hears "already in the block chain". That retry's answer
 * is the transaction's id, computed here; a first attempt's own "already known" stays the
 * daemon's error (the caller may be rebroadcasting on purpose).
 */
@ExtendWith(VertxExtension.class)
class BroadcastRetryTest {

  /** A real transaction (a Zcoin block's coinbase, hashed as Bitcoin's) and its txid. */
  private static final String RAW_TX;
  private static final String TXID;

  static {
    JsonObject vector = Vectors.load("zcoin_mainnet_100000");
    byte[] block = HexFormat.of().parseHex(vector.getString("block"));
    ByteCursor cursor = new ByteCursor(block, BlockHash.HEADER_SIZE);
    cursor.count();
    int start = cursor.position();
    RAW_TX = HexFormat.of().formatHex(block, start, TxId.read(block, start).end());
    TXID = vector.getJsonArray("tx").getString(0);
  }

  private static FakeDaemon alreadyInChain(FakeDaemon fake) {
    return fake.handle("sendrawtransaction", (JsonArray params) -> {
      throw new FakeDaemon.RpcError(-27, "Transaction already in block chain");
    });
  }

  @Test
  void aRetryThatHearsAlreadyInTheChainIsAnsweredWithTheTxid(Vertx vertx,
                                                            VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 10).compose((FakeDaemon fake) -> {
      // The first attempt's connection drops before the answer: the reply is lost.
      alreadyInChain(fake).failNext(Fault.DROP_CONNECTION);
      return Service.deploy(vertx, fake, (JsonObject c) -> c.put("initRetryMs", 10)
              .put("maxRetryMs", 20))
          .compose((Service s) -> s.ask(Actions.BROADCAST_TRANSACTION,
              new JsonObject().put("rawTx", RAW_TX)))
          .map((Object txid) -> new Object[] {txid, fake});
    }).onComplete(ctx.succeeding((Object[] r) -> ctx.verify(() -> {
      assertThat(r[0]).isEqualTo(TXID);
      assertThat(((FakeDaemon) r[1]).methods()).containsExactly("sendrawtransaction",
          "sendrawtransaction");
      ctx.completeNow();
    })));
  }

  @Test
  void aFirstAttemptThatHearsAlreadyInTheChainIsTheDaemonsError(Vertx vertx,
                                                              VertxTestContext ctx) {
    FakeDaemon.bitcoinLike(vertx, 10)
        .compose((FakeDaemon fake) -> Service.deploy(vertx, alreadyInChain(fake),
            (JsonObject c) -> { }))
        .compose((Service s) -> s.ask(Actions.BROADCAST_TRANSACTION,
            new JsonObject().put("rawTx", RAW_TX)))
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(((ReplyException) e).failureCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("-27");
          ctx.completeNow();
        })));
  }
}
