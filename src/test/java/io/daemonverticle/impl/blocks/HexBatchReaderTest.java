package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.resilience.RpcCounters;
import io.daemonverticle.impl.transport.Offloader;
import io.daemonverticle.impl.transport.TransientFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader gives the same blocks whether it decodes each chunk on the loop as it comes (the
 * vector decoder) or hands the chunks to a worker in runs (the scalar one), with a finisher
 * that works per item or per byte; where the work ran is proven by the offload counter and the
 * finisher's thread.
 */
@ExtendWith(VertxExtension.class)
class HexBatchReaderTest {

  private static final long FIRST_ID = 7;
  private static final int THRESHOLD = 1000;

  @ParameterizedTest(name = "chunks decoded on the loop: {0}, finisher works per byte: {1}")
  @CsvSource({"true,false", "true,true", "false,false", "false,true"})
  void blocksComeBackByteForByteEitherWay(boolean onLoop, boolean byteWork, Vertx vertx,
                                          VertxTestContext ctx) {
    Random random = new Random(onLoop ? 31 : 32);
    List<byte[]> blocks = List.of(bytes(random, 300_000), bytes(random, 0), bytes(random, 81));
    RpcCounters counters = new RpcCounters();
    AtomicReference<String> finishedOn = new AtomicReference<>();
    Function<HexItem[], HexItem[]> recordThread = (HexItem[] items) -> {
      finishedOn.set(Context.isOnWorkerThread() ? "worker" : "event loop");
      return items;
    };
    HexBatchReader<HexItem[]> reader = reader(vertx, counters, blocks.size(), onLoop,
        byteWork ? HexFinisher.byteWork(recordThread) : HexFinisher.perItem(recordThread));
    feedThenEnd(vertx, reader, reply(blocks, new int[] {2, 0, 1}), random)
        .onComplete(ctx.succeeding((HexItem[] items) -> ctx.verify(() -> {
          for (int i = 0; i < blocks.size(); i++) {
            assertThat(items[i].hex().toBytes()).as("block %d", i).isEqualTo(blocks.get(i));
          }
          // The reply is past the threshold: a finisher working through its bytes is a
          // worker's; one working per item stays on the loop when no chunk is left to decode.
          if (byteWork) {
            assertThat(finishedOn).hasValue("worker");
          }
          if (!onLoop) {
            // The chunks went to a worker in runs, each counted.
            assertThat(counters.offloaded()).isGreaterThan(1);
          } else if (byteWork) {
            assertThat(counters.offloaded()).isEqualTo(1);
          } else {
            assertThat(finishedOn).hasValue("event loop");
            assertThat(counters.offloaded()).isZero();
          }
          ctx.completeNow();
        })));
  }

  @ParameterizedTest(name = "chunks decoded on the loop: {0}")
  @ValueSource(booleans = {true, false})
  void aByteThatIsNoHexFailsTheReplyEitherWay(boolean onLoop, Vertx vertx,
                                              VertxTestContext ctx) {
    Random random = new Random(33);
    byte[] reply = reply(List.of(bytes(random, 200_000)), new int[] {0});
    reply[100_000] = 'x';
    HexBatchReader<HexItem[]> reader = reader(vertx, new RpcCounters(), 1, onLoop,
        HexFinisher.perItem(Function.identity()));
    feedThenEnd(vertx, reader, reply, random)
        .onComplete(ctx.failing((Throwable e) -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(TransientFailure.class)
              .hasMessageContaining("'x'");
          ctx.completeNow();
        })));
  }

  private static HexBatchReader<HexItem[]> reader(Vertx vertx, RpcCounters counters, int count,
                                                  boolean onLoop,
                                                  HexFinisher<HexItem[]> finisher) {
    return new HexBatchReader<>(new Offloader(vertx, THRESHOLD, counters::recordOffload),
        new HexBatchScanner(FIRST_ID, count, false, "http://127.0.0.1:1/"), finisher, onLoop);
  }

  /**
   * Feeds the reply in chunks of up to 64 KiB, as a connection gives them, each in its own
   * event-loop task so that runs given to a worker end between chunks, then ends it.
   */
  private static Future<HexItem[]> feedThenEnd(Vertx vertx, HexBatchReader<HexItem[]> reader,
                                               byte[] reply, Random random) {
    Context context = vertx.getOrCreateContext();
    Future<Void> fed = Future.succeededFuture();
    for (int pos = 0; pos < reply.length; ) {
      int n = Math.min(reply.length - pos, 1 + random.nextInt(64 * 1024));
      Buffer chunk = Buffer.buffer().appendBytes(reply, pos, n);
      fed = fed.compose((Void v) -> onLoop(context, () -> {
        reader.chunk(chunk);
        return Future.<Void>succeededFuture();
      }));
      pos += n;
    }
    return fed.compose((Void v) -> onLoop(context, reader::end));
  }

  private static <T> Future<T> onLoop(Context context, Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext((Void v) -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  private static byte[] reply(List<byte[]> blocks, int[] order) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder text = new StringBuilder("[");
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      text.append(k == 0 ? "" : ",").append("{\"result\":\"")
          .append(HexFormat.of().formatHex(blocks.get(i))).append("\",\"error\":null,\"id\":")
          .append(FIRST_ID + i).append('}');
    }
    text.append(']');
    out.writeBytes(text.toString().getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
