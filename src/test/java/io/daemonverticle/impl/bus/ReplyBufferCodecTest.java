package io.daemonverticle.impl.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.Actions;
import io.daemonverticle.DaemonClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reply codec's promise is one copy fewer than Vert.x's Buffer codec, byte for byte: a
 * local reply is the very buffer sent, one read from the wire shares the wire's memory.
 */
@ExtendWith(VertxExtension.class)
class ReplyBufferCodecTest {

  private final ReplyBufferCodec codec = new ReplyBufferCodec();

  @Test
  void whatIsWrittenIsReadBackByteForByteAsASliceOfTheWire() {
    byte[] body = new byte[100_000];
    new Random(7).nextBytes(body);
    Buffer wire = Buffer.buffer().appendString("headers before the body");
    int pos = wire.length();
    codec.encodeToWire(wire, Buffer.buffer(body));
    wire.appendString("and whatever follows it");

    Buffer read = codec.decodeFromWire(pos, wire);

    assertThat(read.getBytes()).isEqualTo(body);
    // No copy: the reply is the wire's own bytes.
    wire.setByte(pos + 4, (byte) (body[0] + 1));
    assertThat(read.getByte(0)).isEqualTo((byte) (body[0] + 1));
  }

  @Test
  void anEmptyBodyIsReadBackEmpty() {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, Buffer.buffer());
    assertThat(codec.decodeFromWire(0, wire).length()).isZero();
  }

  @Test
  void aLocalDeliveryIsTheBufferSent() {
    Buffer body = Buffer.buffer("block");
    assertThat(codec.transform(body)).isSameAs(body);
  }

  /**
   * Registered by the verticle and by every client: the second registration is no error, and
   * the codec then carries a local message as the very buffer sent.
   */
  @Test
  void registeringTwiceOnOneInstanceIsHarmless(Vertx vertx, VertxTestContext ctx) {
    BusCodecs.registerOn(vertx.eventBus());
    BusCodecs.registerOn(vertx.eventBus());
    DaemonClient.create(vertx, "anywhere");
    Buffer sent = Buffer.buffer("blocks");
    vertx.eventBus().<Buffer>consumer("codec-registered", (Message<Buffer> message) -> {
      ctx.verify(() -> assertThat(message.body()).isSameAs(sent));
      ctx.completeNow();
    });
    vertx.eventBus().send("codec-registered", sent,
        new DeliveryOptions().setCodecName(ReplyBufferCodec.NAME));
  }

  /** Without a cluster every requester is local: the codec needs no header there. */
  @Test
  void aRequestFromThisInstanceMayGetTheCodecWithoutAskingForIt(Vertx vertx,
                                                               VertxTestContext ctx) {
    vertx.eventBus().consumer("codec-test", (Message<Object> request) -> {
      ctx.verify(() -> assertThat(ReplyBufferCodec.readableBy(request, false)).isTrue());
      request.reply("seen");
    });
    vertx.eventBus().request("codec-test", "no header", new DeliveryOptions()
            .addHeader(Actions.HEADER, Actions.RAW_BLOCKS))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * In a cluster a plain request without the header may come from a node that never registered
   * the codec (it could not read the reply); one to the local-only address was sent here, and
   * one with the header says its node can read it.
   */
  @Test
  void inAClusterTheCodecNeedsTheLocalAddressOrTheHeader(Vertx vertx, VertxTestContext ctx) {
    Checkpoint seen = ctx.checkpoint(3);
    vertx.eventBus().consumer("codec-plain", (Message<Object> request) -> {
      ctx.verify(() -> assertThat(ReplyBufferCodec.readableBy(request, true))
          .isEqualTo(request.headers().contains(ReplyBufferCodec.HEADER)));
      seen.flag();
      request.reply("seen");
    });
    vertx.eventBus().localConsumer(LocalServices.localAddress("codec-plain"),
        (Message<Object> request) -> {
          ctx.verify(() -> assertThat(ReplyBufferCodec.readableBy(request, true)).isTrue());
          seen.flag();
          request.reply("seen");
        });
    DeliveryOptions rawBlocks = new DeliveryOptions().addHeader(Actions.HEADER,
        Actions.RAW_BLOCKS);
    vertx.eventBus().request("codec-plain", "no header", rawBlocks)
        .compose(r -> vertx.eventBus().request("codec-plain", "header",
            ReplyBufferCodec.askFor(Actions.RAW_BLOCKS, new DeliveryOptions()
                .addHeader(Actions.HEADER, Actions.RAW_BLOCKS))))
        .compose(r -> vertx.eventBus().request(LocalServices.localAddress("codec-plain"),
            "local", rawBlocks))
        .onFailure(ctx::failNow);
  }

  /** The typed client asks for the codec on rawBlocks only: the one action with a Buffer reply. */
  @Test
  void theTypedClientAsksForTheCodecOnRawBlocks(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().consumer("codec-headers", (Message<Object> request) -> {
      String action = request.headers().get(Actions.HEADER);
      ctx.verify(() -> assertThat(request.headers().get(ReplyBufferCodec.HEADER))
          .isEqualTo(action.equals(Actions.RAW_BLOCKS) ? ReplyBufferCodec.NAME : null));
      request.reply(action.equals(Actions.RAW_BLOCKS) ? Buffer.buffer() : (Object) 7);
    });
    DaemonClient client = DaemonClient.create(vertx, "codec-headers");
    client.rawBlocks(List.of()).compose(blocks -> client.height())
        .onComplete(ctx.succeedingThenComplete());
  }
}
