package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonException;
import io.daemonverticle.impl.transport.ScriptedServer.Recorder;
import io.daemonverticle.impl.transport.ScriptedServer.Seen;
import io.daemonverticle.testing.Transports;
import io.daemonverticle.testing.VirtualTime;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the transport makes of each kind of reply, over real HTTP to a scripted server: a reply
 * of the expected type streamed to the reader, a daemon's JSON-RPC error under any status read
 * as its answer, everything else a refusal told by its status and the first of its text, a
 * reply past its bound cut, a reader's own failure kept or typed. Each exchange is bounded by
 * the request sent behind it ({@link ScriptedServer#exchange}): a reply nobody handed on fails
 * the test at once.
 */
class HttpTransportRepliesTest {

  private static final String JSON = "application/json";
  private static final String BINARY = "application/octet-stream";
  private static final Buffer PAYLOAD = OneLoop.PAYLOAD;
  private static final String RPC_ERROR =
      "{\"result\":null,\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":0}";

  private final OneLoop loop = new OneLoop();
  private final VirtualTime time = loop.time;
  private ScriptedServer server;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedServer.start(loop.vertx).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    loop.close();
  }

  private HttpTransport transport() {
    return Transports.plain(loop.vertx, time, 1);
  }

  private <T> AsyncResult<T> exchange(HttpTransport transport,
                                      Function<Future<Void>, Future<T>> exchange)
      throws Exception {
    return loop.exchange(server, transport, exchange);
  }

  private AsyncResult<Buffer> post(HttpTransport transport, Recorder reader) throws Exception {
    return loop.post(server, transport, server.url(), reader);
  }

  private static TransientFailure transientFailure(AsyncResult<?> outcome,
                                                   TransientFailure.Kind kind) {
    return OneLoop.failedAs(outcome, kind);
  }

  private static TransientFailure refusal(AsyncResult<?> outcome, TransientFailure.Kind kind,
                                          int status) {
    TransientFailure failure = transientFailure(outcome, kind);
    assertThat(failure.httpStatus()).isEqualTo(status);
    return failure;
  }

  @Test
  void aPostCarriesTheCallAndItsCredentialsAndItsJsonReplyIsStreamed()
      throws Exception {
    server.then(200, "Application/JSON; charset=utf-8", "{\"result\":7}");
    HttpTransport transport = transport();
    Recorder reader = new Recorder();

    AsyncResult<Buffer> answered = post(transport, reader);

    assertThat(answered.succeeded()).as("%s", answered.cause()).isTrue();
    assertThat(answered.result().toString()).isEqualTo("{\"result\":7}");
    assertThat(reader.chunks).as("handed on as it came").isPositive();
    assertThat(reader.abandoned).isFalse();
    Seen seen = server.seen().get(0);
    assertThat(seen.method()).isEqualTo(HttpMethod.POST);
    assertThat(seen.uri()).isEqualTo("/");
    assertThat(seen.headers().get(HttpHeaders.CONTENT_TYPE)).isEqualTo(JSON);
    assertThat(seen.headers().get(HttpHeaders.AUTHORIZATION)).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8)));
    assertThat(seen.body()).isEqualTo(PAYLOAD);
    assertThat(transport.offloader()).as("where readers offload").isNotNull();
  }

  @Test
  void thePostWithoutCancelIsBoundedByItsTime() throws Exception {
    HttpTransport transport = transport();
    Recorder reader = new Recorder();

    AsyncResult<Buffer> answered = exchange(transport, markerArrived -> {
      // Its only bound is its timer: once the request behind it went out, time is up.
      markerArrived.onSuccess(v -> time.advance(5_000));
      return transport.post(server.url(), PAYLOAD, 5_000, reader);
    });

    assertThat(answered.succeeded()).as("%s", answered.cause()).isTrue();
    assertThat(answered.result().toString()).contains("\"result\":0");
  }

  @Test
  void aGetAsksItsPathWithNoBodyAndItsReplyOfTheTypeAskedForIsStreamed()
      throws Exception {
    server.then(200, BINARY, "\u0001\u0002\u0003");
    HttpTransport transport = transport();
    Recorder reader = new Recorder();

    AsyncResult<Buffer> answered = exchange(transport, cancel -> transport.get(server.url(),
        "/rest/block/ab.bin", BINARY, 5_000, reader, cancel));

    assertThat(answered.succeeded()).as("%s", answered.cause()).isTrue();
    assertThat(answered.result().getBytes()).containsExactly(1, 2, 3);
    Seen seen = server.seen().get(0);
    assertThat(seen.method()).isEqualTo(HttpMethod.GET);
    assertThat(seen.uri()).isEqualTo("/rest/block/ab.bin");
    assertThat(seen.headers().get(HttpHeaders.CONTENT_TYPE)).isNull();
    assertThat(seen.body().length()).isZero();
  }

  @Test
  void statusesFrom200To299AreRepliesAnd300IsARefusal() throws Exception {
    server.then(299, JSON, "{\"result\":1}").then(300, "text/plain", "moved away");
    HttpTransport transport = transport();

    AsyncResult<Buffer> at299 = post(transport, new Recorder());
    Recorder refused = new Recorder();
    AsyncResult<Buffer> at300 = post(transport, refused);

    assertThat(at299.succeeded()).as("%s", at299.cause()).isTrue();
    assertThat(refusal(at300, TransientFailure.Kind.REFUSED, 300)).hasMessageContaining(
        "moved away");
    assertThat(refused.chunks).as("a refusal is not handed to the reader").isZero();
    assertThat(refused.abandoned).isTrue();
  }

  @Test
  void aReplyOfExactlyItsBoundIsReadAndOneByteMoreIsCut() throws Exception {
    String atBound = "{\"result\":\"" + "a".repeat(50) + "\"}";
    server.then(200, JSON, atBound).then(200, JSON, atBound + " ");
    HttpTransport transport = Transports.of(loop.vertx, time,
        Transports.options(1, atBound.length(), HttpTransport.KEEP_ALIVE_SECONDS), null);

    AsyncResult<Buffer> whole = post(transport, new Recorder());
    Recorder cut = new Recorder();
    AsyncResult<Buffer> tooLong = post(transport, cut);

    assertThat(whole.succeeded()).as("%s", whole.cause()).isTrue();
    assertThat(whole.result().toString()).isEqualTo(atBound);
    assertThat(transientFailure(tooLong, TransientFailure.Kind.TOO_LONG))
        .hasMessageContaining("maxReplyBytes (" + atBound.length() + " bytes)");
    assertThat(cut.abandoned).isTrue();
  }

  @Test
  void aReplyCutForItsLengthGivesItsConnectionBack() throws Exception {
    server.then(HttpTransportRepliesTest::endless);
    HttpTransport transport = Transports.of(loop.vertx, time,
        Transports.options(1, 64 * 1024, HttpTransport.KEEP_ALIVE_SECONDS), null);

    Recorder cut = new Recorder();
    AsyncResult<Buffer> tooLong = post(transport, cut);
    // One connection: unless the endless reply's was closed, this one waits for it, and its
    // wait for a connection is bounded in real time by the exchange's time.
    AsyncResult<Buffer> next = exchange(transport,
        cancel -> transport.post(server.url(), PAYLOAD, 1_000, new Recorder(), cancel));

    transientFailure(tooLong, TransientFailure.Kind.TOO_LONG);
    assertThat(cut.touchedAfterAbandon).as("nothing of the reply after it was cut").isFalse();
    assertThat(next.succeeded()).as("%s", next.cause()).isTrue();
  }

  /** A JSON reply that never ends: 1 KiB every millisecond until the client goes away. */
  private static void endless(HttpServerResponse response) {
    response.setChunked(true).putHeader("Content-Type", JSON).write("{\"result\":\"");
    Vertx vertx = Vertx.currentContext().owner();
    String kib = "0".repeat(1024);
    vertx.setPeriodic(1, id -> {
      if (response.closed()) {
        vertx.cancelTimer(id);
      } else {
        response.write(kib);
      }
    });
  }

  @Test
  void aRefusalIsToldByItsStatusAndTheFirstOfItsText() throws Exception {
    server.then(401, "text/plain", "Unauthorized: go away")
        .then(502, "text/plain", "")
        .then(500, "text/html", "<html>oops</html>")
        .then(500, "text/plain", " ".repeat(900) + "after the first 800 bytes")
        .then(500, "text/plain", "x".repeat(800) + "y".repeat(200_000));
    HttpTransport transport = transport();

    AsyncResult<Buffer> unauthorized = post(transport, new Recorder());
    AsyncResult<Buffer> empty = post(transport, new Recorder());
    AsyncResult<Buffer> html = post(transport, new Recorder());
    AsyncResult<Buffer> blank = post(transport, new Recorder());
    AsyncResult<Buffer> huge = post(transport, new Recorder());

    assertThat(refusal(unauthorized, TransientFailure.Kind.REFUSED, 401))
        .hasMessage("daemon service refused: Unauthorized: go away");
    assertThat(refusal(empty, TransientFailure.Kind.REFUSED, 502))
        .hasMessage("daemon service refused: 502 Bad Gateway");
    assertThat(refusal(html, TransientFailure.Kind.REFUSED, 500))
        .hasMessage("daemon service refused: 500 Internal Server Error");
    assertThat(refusal(blank, TransientFailure.Kind.REFUSED, 500))
        .as("only the first 800 bytes are read for its text").hasMessage(
            "daemon service refused: 500 Internal Server Error");
    assertThat(refusal(huge, TransientFailure.Kind.REFUSED, 500).getMessage())
        .startsWith("daemon service refused: xxx").doesNotContain("y");
  }

  @Test
  void aFullDaemonIsBackPressureNotARefusal() throws Exception {
    server.then(503, "text/plain", "busy")
        .then(500, "text/plain", "Work queue depth exceeded")
        .then(500, "text/plain", "crashed");
    HttpTransport transport = transport();

    AsyncResult<Buffer> at503 = post(transport, new Recorder());
    AsyncResult<Buffer> queueFull = post(transport, new Recorder());
    AsyncResult<Buffer> crashed = post(transport, new Recorder());

    assertThat(refusal(at503, TransientFailure.Kind.BACK_PRESSURE, 503))
        .hasMessage("daemon busy: busy");
    refusal(queueFull, TransientFailure.Kind.BACK_PRESSURE, 500);
    refusal(crashed, TransientFailure.Kind.REFUSED, 500);
  }

  @Test
  void aJsonRpcErrorUnderAnyStatusIsTheDaemonsAnswerWholeHowEverLong()
      throws Exception {
    String long_ = "{\"result\":null,\"error\":{\"code\":-1,\"message\":\"" + "m".repeat(300_000)
        + "\"},\"id\":0}";
    // In two parts well apart, so that the client reads it in more than one chunk.
    server.then(404, JSON, RPC_ERROR).then(response -> {
      response.setStatusCode(500).setChunked(true).putHeader("Content-Type", JSON)
          .write(long_.substring(0, 1_000));
      Vertx.currentContext().owner().setTimer(20, id -> response.end(long_.substring(1_000)));
    });
    HttpTransport transport = transport();
    Recorder reader = new Recorder();

    AsyncResult<Buffer> notFound = post(transport, reader);
    AsyncResult<Buffer> longError = post(transport, new Recorder());

    assertThat(notFound.succeeded()).as("%s", notFound.cause()).isTrue();
    assertThat(notFound.result().toString()).isEqualTo(RPC_ERROR);
    assertThat(reader.abandoned).isFalse();
    assertThat(longError.succeeded()).as("%s", longError.cause()).isTrue();
    assertThat(longError.result().toString()).isEqualTo(long_);
  }

  @Test
  void jsonThatIsNoJsonRpcErrorUnderAnErrorStatusIsARefusal()
      throws Exception {
    server.then(502, JSON, "{\"result\":1,\"error\":null}")
        .then(500, JSON, "{\"error\":")
        .then(500, JSON, "[1]");
    HttpTransport transport = transport();

    AsyncResult<Buffer> noError = post(transport, new Recorder());
    AsyncResult<Buffer> broken = post(transport, new Recorder());
    AsyncResult<Buffer> array = post(transport, new Recorder());

    refusal(noError, TransientFailure.Kind.REFUSED, 502);
    refusal(broken, TransientFailure.Kind.REFUSED, 500);
    refusal(array, TransientFailure.Kind.REFUSED, 500);
  }

  @Test
  void aJsonErrorToAGetAndAReplyOfAnotherTypeAreRefusals()
      throws Exception {
    server.then(500, JSON, RPC_ERROR)
        .then(200, "text/html", "<p>a proxy's page</p>")
        .then(response -> response.end("no type at all"));
    HttpTransport transport = transport();

    AsyncResult<Buffer> getError = exchange(transport, cancel -> transport.get(server.url(),
        "/rest/chaininfo.json", JSON, 5_000, new Recorder(), cancel));
    AsyncResult<Buffer> html = post(transport, new Recorder());
    AsyncResult<Buffer> untyped = post(transport, new Recorder());

    refusal(getError, TransientFailure.Kind.REFUSED, 500);
    assertThat(refusal(html, TransientFailure.Kind.REFUSED, 200))
        .hasMessage("daemon service refused: 200 OK");
    assertThat(refusal(untyped, TransientFailure.Kind.REFUSED, 200))
        .hasMessage("daemon service refused: no type at all");
  }

  @Test
  void aReplyCutShortByTheDaemonIsNoAnswer() throws Exception {
    server.then(response -> response.putHeader("Content-Type", JSON)
        .putHeader("Content-Length", "100").write("{\"result\":")
        .onComplete(written -> response.reset()));
    HttpTransport transport = transport();
    Recorder reader = new Recorder();

    AsyncResult<Buffer> cut = post(transport, reader);

    assertThat(cut.failed()).as("a partial reply is no answer").isTrue();
    assertThat(cut.cause()).isInstanceOf(TransientFailure.class);
    assertThat(reader.abandoned).isTrue();
  }

  @Test
  void whatAReaderRefusesAsItReadsIsKeptOrTyped() throws Exception {
    server.then(200, JSON, "{}").then(200, JSON, "{}").then(200, JSON, "{}")
        .then(500, JSON, RPC_ERROR);
    HttpTransport transport = transport();
    TransientFailure wrong = new TransientFailure(TransientFailure.Kind.WRONG_BYTES, "wrong");
    DaemonException tooMany = new DaemonException(-8, "too many blocks asked for");

    AsyncResult<Buffer> keptTransient = post(transport, refusing(wrong));
    Recorder refusingDaemon = refusing(tooMany);
    AsyncResult<Buffer> keptDaemon = post(transport, refusingDaemon);
    AsyncResult<Buffer> surprise = post(transport, refusing(new IllegalStateException("odd")));
    AsyncResult<Buffer> errorSurprise = post(transport,
        refusing(new IllegalStateException("odder")));

    assertThat(keptTransient.cause()).isSameAs(wrong);
    assertThat(keptDaemon.cause()).as("the caller's answer").isSameAs(tooMany);
    assertThat(refusingDaemon.abandoned).isTrue();
    assertThat(transientFailure(surprise, TransientFailure.Kind.PARSE_ERROR))
        .hasMessageContaining("odd");
    assertThat(transientFailure(errorSurprise, TransientFailure.Kind.PARSE_ERROR))
        .hasMessageContaining("odder");
  }

  private static Recorder refusing(RuntimeException refusal) {
    Recorder reader = new Recorder();
    reader.refuse = refusal;
    return reader;
  }

  @Test
  void whatAReaderEndsWithIsKeptOrTyped() throws Exception {
    HttpTransport transport = transport();
    TransientFailure warming = new TransientFailure(TransientFailure.Kind.WARMING_UP, "warm");
    DaemonException answer = new DaemonException(-5, "no such block");

    AsyncResult<Buffer> keptTransient = post(transport, ending(warming));
    AsyncResult<Buffer> keptDaemon = post(transport, ending(answer));
    Recorder surprised = ending(new IllegalArgumentException("strange"));
    AsyncResult<Buffer> surprise = post(transport, surprised);

    assertThat(keptTransient.cause()).isSameAs(warming);
    assertThat(keptDaemon.cause()).isSameAs(answer);
    assertThat(transientFailure(surprise, TransientFailure.Kind.PARSE_ERROR))
        .hasMessageContaining("strange");
    assertThat(surprised.abandoned).as("the reply was whole").isFalse();
  }

  private static Recorder ending(RuntimeException failure) {
    Recorder reader = new Recorder();
    reader.ending = Future.failedFuture(failure);
    return reader;
  }
}
