package io.daemonverticle.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the publications of {@code <address>.tip} on one event bus;
 * {@link #awaitCount} completes once that many have arrived. Tests compare the whole list
 * with {@link #event}s they expect: no gap, no duplicate, forkHeight and seq right.
 */
public final class TipEvents {

  private final List<JsonObject> received = new ArrayList<>();
  private final List<Promise<Void>> waiters = new ArrayList<>();
  private final List<Integer> wanted = new ArrayList<>();

  public TipEvents(Vertx vertx, String address) {
    vertx.eventBus().<JsonObject>consumer(address + ".tip", (Message<JsonObject> msg) -> {
      received.add(msg.body());
      for (int i = 0; i < waiters.size(); i++) {
        if (received.size() >= wanted.get(i)) {
          waiters.get(i).tryComplete();
        }
      }
    });
  }

  public Future<List<JsonObject>> awaitCount(int count) {
    Promise<Void> promise = Promise.promise();
    if (received.size() >= count) {
      promise.complete();
    } else {
      waiters.add(promise);
      wanted.add(count);
    }
    return promise.future().map((Void v) -> List.copyOf(received));
  }

  public List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** A publication as the contract words it. */
  public static JsonObject event(int height, String hash, Integer previousHeight,
                                 String previousHash, Integer forkHeight, String source,
                                 long seq) {
    return new JsonObject()
        .put("height", height)
        .put("hash", hash)
        .put("previous", previousHeight == null ? null
            : new JsonObject().put("height", previousHeight).put("hash", previousHash))
        .put("forkHeight", forkHeight)
        .put("source", source)
        .put("seq", seq);
  }

  /** The events that take consumers from a chain's block to the next, one per block. */
  public static List<JsonObject> chainOf(List<String> hashes, int from, int to,
                                         Integer forkHeight, int previousHeight,
                                         String previousHash, String source, long firstSeq) {
    List<JsonObject> events = new ArrayList<>();
    int prevH = previousHeight;
    String prev = previousHash;
    for (int h = from; h <= to; h++) {
      events.add(event(h, hashes.get(h), prevH, prev, h == from ? forkHeight : null, source,
          firstSeq + h - from));
      prevH = h;
      prev = hashes.get(h);
    }
    return events;
  }
}
