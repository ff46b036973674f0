package io.daemonverticle.impl.transport;

import io.vertx.core.buffer.Buffer;

/**
 * The first bytes of a refusal's body, at most {@code limit}: what its message quotes. A proxy's
 * error page can be as long as any reply (megabytes of HTML, up to {@code maxReplyBytes}); only
 * its start is ever read, so only its start is held.
 */
final class RefusalText {

  private final int limit;
  private final Buffer kept = Buffer.buffer();

  RefusalText(int limit) {
    this.limit = limit;
  }

  /** Keeps what of {@code chunk} fits under the limit; the rest is dropped. */
  void append(Buffer chunk) {
    // kept never exceeds the limit, so the room is never negative.
    kept.appendBuffer(chunk, 0, Math.min(limit - kept.length(), chunk.length()));
  }

  /** The bytes kept, at most the limit. */
  Buffer bytes() {
    return kept;
  }

  /** The first {@code limit} bytes of {@code body} as text (UTF-8). */
  static String of(Buffer body, int limit) {
    return body.getString(0, Math.min(limit, body.length()));
  }
}
