package io.daemonverticle.impl.transport;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Reads one attempt's JSON reply as its chunks arrive and turns it into the attempt's result.
 * A reader serves one attempt only: the retry loop asks for a fresh one for each.
 *
 * <p>The transport calls {@link #chunk} for every chunk of a JSON reply, in order, on the
 * event loop; then {@link #end} once, or {@link #abandon} once when the attempt ends without
 * a whole reply (a failure, its time up, a reply over {@code maxReplyBytes}).
 */
public interface ReplyReader<T> {

  /**
   * The next chunk. The reader may keep a reference to it; it must not block.
   *
   * @throws TransientFailure when the reply already cannot be a good answer
   */
  void chunk(Buffer chunk);

  /**
   * The reply is whole: its result. The future fails with {@link TransientFailure} (the URL
   * gave no usable answer) or with a {@code DaemonException} (the daemon's own answer).
   */
  Future<T> end();

  /** The attempt ended without a whole reply: drop whatever is held. */
  void abandon();
}
