package io.daemonverticle.impl.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.resilience.NotHere;
import io.daemonverticle.impl.transport.TransientFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the JSON-RPC layer makes of a reply: a result only from a JSON-RPC answer to the ids
 * asked; anything else (no result and no error, an id not asked or answered twice, not JSON-RPC
 * at all) a {@link TransientFailure}, so that the retry loop tries again and a caller never
 * gets a null for an answer; warming up and parse errors transient; any other error the
 * daemon's answer ({@link DaemonRpcException}, {@link NotHere} for a pruned block).
 */
class JsonRpcReplyTest {

  private static final JsonObject NOT_FOUND = new JsonObject().put("code", -5)
      .put("message", "Block not found");
  private static final JsonObject WARMING_UP = new JsonObject().put("code", -28)
      .put("message", "Loading block index...");
  private static final JsonObject PARSE = new JsonObject().put("code", -32700)
      .put("message", "Parse error");
  private static final JsonObject PRUNED = new JsonObject().put("code", -1)
      .put("message", "Block not available (pruned data)");

  @Test
  void aSingleReplyIsItsResultEvenANullOne() {
    assertThat(JsonRpc.single(new JsonObject().put("result", 7).put("id", 3), 3)).isEqualTo(7);
    assertThat(JsonRpc.single(new JsonObject().putNull("result").putNull("error").put("id", 3),
        3)).isNull();
    // An id as JSON may read it: 3.0 is 3.
    assertThat(JsonRpc.single(new JsonObject().put("result", "x").put("id", 3.0), 3))
        .isEqualTo("x");
  }

  @Test
  void aSingleReplyThatIsNoAnswerIsTransient() {
    assertTransient(() -> JsonRpc.single(new JsonArray(), 3), TransientFailure.Kind.PARSE_ERROR,
        "not a JSON object");
    assertTransient(() -> JsonRpc.single(new JsonObject().put("id", 3), 3),
        TransientFailure.Kind.PARSE_ERROR, "neither result nor error");
    assertTransient(() -> JsonRpc.single(new JsonObject().put("id", 3).putNull("error"), 3),
        TransientFailure.Kind.PARSE_ERROR, "neither result nor error");
    assertTransient(() -> JsonRpc.single(new JsonObject().put("result", 1).put("id", 4), 3),
        TransientFailure.Kind.PARSE_ERROR, "carries id 4");
    assertTransient(() -> JsonRpc.single(new JsonObject().put("result", 1), 3),
        TransientFailure.Kind.PARSE_ERROR, "carries id null");
    assertTransient(() -> JsonRpc.single(new JsonObject().put("result", 1).put("id", "3"), 3),
        TransientFailure.Kind.PARSE_ERROR, "carries id 3");
  }

  @Test
  void aSingleErrorIsTheDaemonsAnswerWithOurIdOrNone() {
    assertDaemonError(() -> JsonRpc.single(new JsonObject().put("error", NOT_FOUND)
        .put("id", 3), 3), NOT_FOUND);
    // bitcoind answers a request it could not read with a null id.
    assertDaemonError(() -> JsonRpc.single(new JsonObject().put("error", NOT_FOUND)
        .putNull("id"), 3), NOT_FOUND);
    // Another request's error is not ours.
    assertTransient(() -> JsonRpc.single(new JsonObject().put("error", NOT_FOUND).put("id", 9),
        3), TransientFailure.Kind.PARSE_ERROR, "carries id 9");
    assertTransient(() -> JsonRpc.single(new JsonObject().put("error", WARMING_UP).put("id", 3),
        3), TransientFailure.Kind.WARMING_UP, "warming up: Loading block index...");
    assertTransient(() -> JsonRpc.single(new JsonObject().put("error", PARSE).put("id", 3), 3),
        TransientFailure.Kind.PARSE_ERROR, "parse error: Parse error");
    assertThat(catchThrowable(() -> JsonRpc.single(new JsonObject().put("error", PRUNED)
        .put("id", 3), 3))).isInstanceOf(NotHere.class);
    // An error that is no object is kept as its text, with no code.
    Throwable text = catchThrowable(() -> JsonRpc.single(new JsonObject().put("error", "boom")
        .put("id", 3), 3));
    assertThat(text).isInstanceOf(DaemonRpcException.class);
    assertThat(((DaemonRpcException) text).error())
        .isEqualTo(new JsonObject().putNull("code").put("message", "boom"));
  }

  @Test
  void aBatchReplyIsMatchedById() {
    JsonArray reply = new JsonArray()
        .add(new JsonObject().put("result", "b").putNull("error").put("id", 11))
        .add(new JsonObject().putNull("result").put("error", NOT_FOUND).put("id", 12))
        .add(new JsonObject().putNull("result").putNull("error").put("id", 10));
    List<RpcResult> results = JsonRpc.batchReply(reply, 10, 3);
    assertThat(results).containsExactly(new RpcResult(null, null), new RpcResult("b", null),
        new RpcResult(null, NOT_FOUND));
    assertThat(results.get(2).failed()).isTrue();
    assertThat(results.get(0).failed()).isFalse();
  }

  /** The legacy kinds' path (issue 33): an item with neither is no answer, never a null. */
  @Test
  void aBatchItemWithNeitherResultNorErrorIsTransient() {
    assertBatchTransient(new JsonArray()
        .add(new JsonObject().put("result", "a").put("id", 10))
        .add(new JsonObject().put("id", 11)), "item 11 has neither result nor error");
    assertBatchTransient(new JsonArray()
        .add(new JsonObject().put("result", "a").put("id", 10))
        .add(new JsonObject().putNull("error").put("id", 11)),
        "item 11 has neither result nor error");
  }

  @Test
  void aBatchReplyThatIsNoAnswerToTheBatchIsTransient() {
    JsonObject ten = new JsonObject().put("result", 1).put("id", 10);
    JsonObject eleven = new JsonObject().put("result", 1).put("id", 11);
    assertBatchTransient(new JsonObject().put("result", 1), "not a JSON array");
    assertBatchTransient("[]", "lacks the answer to request id 10");
    assertBatchTransient(new JsonArray().add(ten).add("x"), "without a whole-number id");
    assertBatchTransient(new JsonArray().add(ten).add(new JsonObject().put("result", 1)),
        "without a whole-number id");
    assertBatchTransient(new JsonArray().add(ten).add(new JsonObject().put("result", 1)
        .put("id", "11")), "without a whole-number id");
    assertBatchTransient(new JsonArray().add(ten).add(new JsonObject().put("result", 1)
        .put("id", 10.5)), "without a whole-number id");
    assertBatchTransient(new JsonArray().add(ten).add(new JsonObject().put("result", 1)
        .put("id", 9)), "answer to id 9, which this batch did not ask");
    assertBatchTransient(new JsonArray().add(ten).add(new JsonObject().put("result", 1)
        .put("id", 12)), "answer to id 12, which this batch did not ask");
    assertBatchTransient(new JsonArray().add(ten).add(ten.copy()), "answers id 10 twice");
    assertBatchTransient(new JsonArray().add(eleven), "lacks the answer to request id 10");
    assertBatchTransient(new JsonArray().add(ten), "lacks the answer to request id 11");
    // A whole number written as a double is that id.
    assertThat(JsonRpc.batchReply(new JsonArray().add(ten)
        .add(new JsonObject().put("result", 2).put("id", 11.0)), 10, 2))
        .extracting(RpcResult::result).containsExactly(1, 2);
  }

  @Test
  void aWarmingUpOrParseErrorInABatchIsTransientAnyOtherIsTheItemsAnswer() {
    JsonObject ten = new JsonObject().put("result", 1).put("id", 10);
    Throwable warming = catchThrowable(() -> JsonRpc.batchReply(new JsonArray().add(ten)
        .add(new JsonObject().put("error", WARMING_UP).put("id", 11)), 10, 2));
    assertThat(((TransientFailure) warming).kind()).isEqualTo(TransientFailure.Kind.WARMING_UP);
    Throwable parse = catchThrowable(() -> JsonRpc.batchReply(new JsonArray().add(ten)
        .add(new JsonObject().put("error", PARSE).put("id", 11)), 10, 2));
    assertThat(((TransientFailure) parse).kind()).isEqualTo(TransientFailure.Kind.PARSE_ERROR);
    assertThat(parse).hasMessageContaining("parse error: Parse error");
    // A whole batch answered with one error (a daemon warming up) is that error.
    Throwable whole = catchThrowable(() -> JsonRpc.batchReply(new JsonObject()
        .put("error", WARMING_UP).putNull("id"), 10, 2));
    assertThat(((TransientFailure) whole).kind()).isEqualTo(TransientFailure.Kind.WARMING_UP);
    assertDaemonError(() -> JsonRpc.batchReply(new JsonObject().put("error", NOT_FOUND), 10, 2),
        NOT_FOUND);
    // Errors without a code, or with one that is no number, are answers too.
    JsonObject noCode = new JsonObject().put("message", "odd");
    JsonObject textCode = new JsonObject().put("code", "-28").put("message", "odd");
    List<RpcResult> results = JsonRpc.batchReply(new JsonArray()
        .add(new JsonObject().put("error", noCode).put("id", 10))
        .add(new JsonObject().put("error", textCode).put("id", 11))
        .add(new JsonObject().put("error", "text").put("id", 12)), 10, 3);
    assertThat(results).extracting(RpcResult::error).containsExactly(noCode, textCode,
        new JsonObject().putNull("code").put("message", "text"));
  }

  @Test
  void resultsOrFailGivesTheResultsOrEveryError() {
    assertThat(JsonRpc.resultsOrFail(List.of(new RpcResult(1, null), new RpcResult(null, null))))
        .containsExactly(1, null);
    JsonObject other = new JsonObject().put("code", -8).put("message", "bad");
    Throwable failure = catchThrowable(() -> JsonRpc.resultsOrFail(List.of(
        new RpcResult(null, NOT_FOUND), new RpcResult(1, null), new RpcResult(null, other))));
    assertThat(failure).isInstanceOf(DaemonRpcException.class);
    assertThat(((DaemonRpcException) failure).error())
        .isEqualTo(new JsonArray().add(NOT_FOUND).add(other));
  }

  @Test
  void failureOfTellsTransientFromAnswers() {
    assertThat(((TransientFailure) JsonRpc.failureOf(WARMING_UP)).kind())
        .isEqualTo(TransientFailure.Kind.WARMING_UP);
    assertThat(((TransientFailure) JsonRpc.failureOf(PARSE)).kind())
        .isEqualTo(TransientFailure.Kind.PARSE_ERROR);
    assertThat(JsonRpc.failureOf(NOT_FOUND)).isInstanceOf(DaemonRpcException.class);
    assertThat(JsonRpc.failureOf(new JsonObject().put("code", "-28").put("message", "x")))
        .isInstanceOf(DaemonRpcException.class);
    assertThat(JsonRpc.failureOf(PRUNED)).isInstanceOf(NotHere.class);
  }

  private static void assertBatchTransient(Object reply, String why) {
    Object parsed = reply instanceof String text ? new JsonArray(text) : reply;
    assertTransient(() -> JsonRpc.batchReply(parsed, 10, 2), TransientFailure.Kind.PARSE_ERROR,
        why);
  }

  private static void assertTransient(Runnable call, TransientFailure.Kind kind, String why) {
    Throwable failure = catchThrowable(call::run);
    assertThat(failure).isInstanceOf(TransientFailure.class).hasMessageContaining(why);
    assertThat(((TransientFailure) failure).kind()).isEqualTo(kind);
  }

  private static void assertDaemonError(Runnable call, JsonObject error) {
    Throwable failure = catchThrowable(call::run);
    assertThat(failure).isExactlyInstanceOf(DaemonRpcException.class);
    assertThat(((DaemonRpcException) failure).error()).isEqualTo(error);
  }
}
