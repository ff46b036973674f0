package io.daemonverticle.impl.transport;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.util.function.Function;

/**
 * The general reader: gathers the reply, parses it into a JSON tree (on a worker thread when
 * it is large) and hands the tree to the processor. For replies of small, varied shapes; the
 * large hex batches have {@code blocks.HexBatchReader}.
 */
public final class JsonReplyReader<T> implements ReplyReader<T> {

  private final Offloader offloader;
  private final Function<Object, T> processor;
  private final String source;
  private Buffer body = Buffer.buffer();

  /** @param source what the reply came from, for the failure text (a URL, no credentials) */
  public JsonReplyReader(Offloader offloader, Function<Object, T> processor, String source) {
    this.offloader = offloader;
    this.processor = processor;
    this.source = source;
  }

  @Override
  public void chunk(Buffer chunk) {
    body.appendBuffer(chunk);
  }

  @Override
  public Future<T> end() {
    Buffer whole = body;
    body = null;
    return offloader.run(whole.length(), () -> {
      try {
        return Json.decodeValue(whole);
      } catch (DecodeException e) {
        throw new TransientFailure(TransientFailure.Kind.PARSE_ERROR,
            "daemon reply from " + source + " is not valid JSON");
      }
    }).map(processor);
  }

  @Override
  public void abandon() {
    body = null;
  }
}
