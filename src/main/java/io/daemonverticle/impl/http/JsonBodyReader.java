package io.daemonverticle.impl.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.daemonverticle.ActionSpec;
import io.daemonverticle.Actions;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads an action's request body on the HTTP front within the limits its declaration sets
 * ({@link BodyLimits}): a {@code Content-Length} over the limit is refused before a byte is
 * read, a body that grows past it while streaming is cut off, and what is read is parsed once,
 * as JSON whatever its content type, under caps on its tokens and depth. All bodies being read
 * or forwarded share one budget of bytes (429 past it), and each must arrive within
 * {@link #READ_TIMEOUT_MS}. The parsed body is left in the context under {@link #BODY}.
 *
 * <p>Runs on the front's one event loop: the budget is a plain counter. The read timeout is a
 * timer of the front's {@link TimeSource}.
 */
final class JsonBodyReader implements Handler<RoutingContext> {

  /** The context key of the parsed body: a JsonObject, or null for no parameters. */
  static final String BODY = "daemonverticle.body";
  /** Longest a request's body may take to arrive once its headers are in. */
  static final long READ_TIMEOUT_MS = 30_000;

  private final TimeSource time;
  private final int maxBatch;
  private final long budgetBytes;
  private final Map<ActionSpec, JsonFactory> parsers = new HashMap<>();
  private final JsonFactory unknownAction;
  /** Bytes reserved by the bodies being read or forwarded now. */
  private long inFlight;

  JsonBodyReader(TimeSource time, int maxBatch, long budgetBytes) {
    this.time = time;
    this.maxBatch = maxBatch;
    this.budgetBytes = budgetBytes;
    for (ActionSpec spec : Actions.SPECS) {
      parsers.put(spec, factory(spec, maxBatch));
    }
    unknownAction = factory(null, maxBatch);
  }

  /** Bytes of bodies being read or forwarded now (for tests and the meters). */
  long inFlight() {
    return inFlight;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ActionSpec spec = Actions.spec(ctx.pathParam("action"));
    long limit = BodyLimits.bytes(spec, maxBatch);
    HttpServerRequest request = ctx.request();
    // Vert.x (Netty's decoder) answers 400 itself to a Content-Length that is no number,
    // before any handler: here it is one (JsonBodyReaderAtOnceTest).
    String header = request.getHeader("content-length");
    long declared = header == null ? -1 : Long.parseLong(header.trim());
    if (declared > limit) {
      refuse(ctx, 413, "the request body of " + declared + " bytes is larger than "
          + describe(spec) + " takes (" + limit + " bytes)");
      return;
    }
    long reserved = declared >= 0 ? declared : limit;
    if (inFlight + reserved > budgetBytes) {
      refuse(ctx, 429, "the HTTP front is reading or forwarding " + inFlight + " bytes of "
          + "request bodies, its most at once is " + budgetBytes + ": try again");
      return;
    }
    inFlight += reserved;
    boolean[] released = new boolean[1];
    Runnable release = () -> {
      if (!released[0]) {
        released[0] = true;
        inFlight -= reserved;
      }
    };
    // Called when the response ends, fails or its connection closes (Vert.x Web's own
    // handlers of the response: this front sets none of its own).
    ctx.addEndHandler(ar -> release.run());
    read(ctx, spec, limit, release);
  }

  private void read(RoutingContext ctx, ActionSpec spec, long limit, Runnable release) {
    HttpServerRequest request = ctx.request();
    Buffer body = Buffer.buffer((int) Math.min(limit, 16 * 1024));
    boolean[] over = new boolean[1];
    long timer = time.setTimer(READ_TIMEOUT_MS, id -> {
      over[0] = true;
      refuse(ctx, 408, "the request body did not arrive within " + READ_TIMEOUT_MS + " ms");
    });
    request.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + (long) chunk.length() > limit) {
        over[0] = true;
        time.cancelTimer(timer);
        refuse(ctx, 413, "the request body is larger than " + describe(spec) + " takes ("
            + limit + " bytes)");
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> {
      time.cancelTimer(timer);
      release.run();
    });
    request.endHandler(v -> {
      time.cancelTimer(timer);
      if (over[0]) {
        return;
      }
      Object parsed;
      try {
        parsed = parse(body, parsers.getOrDefault(spec, unknownAction));
      } catch (IllegalArgumentException e) {
        ErrorReply.send(ctx.response(), 400, e.getMessage(), ErrorReply.HTTP);
        return;
      }
      ctx.put(BODY, parsed);
      ctx.next();
    });
    request.resume();
  }

  /**
   * The body as the service takes it: null for no body, else a JSON object. One parse, whose
   * result goes to the event bus as it is.
   */
  static JsonObject parse(Buffer raw, JsonFactory factory) {
    if (isBlank(raw)) {
      return null;
    }
    Object value;
    try (JsonParser parser = factory.createParser(raw.getBytes())) {
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException | IOException e) {
      throw new IllegalArgumentException("the request body is not JSON within the front's "
          + "limits: send a JSON object of the action's parameters (or no body); "
          + firstLine(e.getMessage()));
    }
    if (value == null) {
      return null;
    }
    // Vert.x's codec reads an object as a JsonObject (JacksonCodec.cast, Vert.x 5).
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException("the request body must be a JSON object of the "
          + "action's parameters, e.g. {\"first\":0,\"count\":3}");
    }
    return object;
  }

  private static boolean isBlank(Buffer raw) {
    for (int i = 0; i < raw.length(); i++) {
      byte b = raw.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String message) {
    return String.valueOf(message).lines().findFirst().orElse("");
  }

  /** The parser of {@code spec}'s bodies, under its limits ({@link BodyLimits}). */
  static JsonFactory factory(ActionSpec spec, int maxBatch) {
    long bytes = BodyLimits.bytes(spec, maxBatch);
    return JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(BodyLimits.MAX_DEPTH)
            .maxTokenCount(BodyLimits.tokens(spec, maxBatch))
            .maxStringLength((int) Math.min(bytes, Integer.MAX_VALUE))
            .maxDocumentLength(bytes)
            .build())
        .build();
  }

  private static String describe(ActionSpec spec) {
    return spec == null ? "an undeclared action" : "action " + spec.name();
  }

  /**
   * Refuses without reading the rest of the body: its bytes must not be read as the next
   * request, so the connection closes after the answer (the front speaks HTTP/1.1 only:
   * {@code DaemonHttpVerticle} turns HTTP/2 off).
   */
  static void refuse(RoutingContext ctx, int code, String message) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.putHeader("connection", "close");
    ErrorReply.send(response, code, message, ErrorReply.HTTP)
        .onComplete(ar -> ctx.request().connection().close());
  }
}
