package io.daemonverticle.impl.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** An event stream's text as it arrives, and a waiter for a piece of it. */
final class EventStreamText {

  final StringBuilder text = new StringBuilder();
  private final List<String> wanted = new ArrayList<>();
  private final List<Promise<Void>> waiters = new ArrayList<>();

  void append(Buffer chunk) {
    text.append(chunk.toString());
    for (int i = 0; i < wanted.size(); i++) {
      if (text.indexOf(wanted.get(i)) >= 0) {
        waiters.get(i).tryComplete();
      }
    }
  }

  /** Completes once the text holds {@code piece} (at once if it does already). */
  Future<Void> contains(String piece) {
    Promise<Void> promise = Promise.promise();
    wanted.add(piece);
    waiters.add(promise);
    append(Buffer.buffer());
    return promise.future();
  }
}
