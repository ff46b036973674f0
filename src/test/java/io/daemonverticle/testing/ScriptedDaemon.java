package io.daemonverticle.testing;

import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.kinds.BlockHeader;
import io.daemonverticle.impl.kinds.CoinTable;
import io.daemonverticle.impl.kinds.DaemonContext;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A daemon object whose calls the test answers by hand, each one kept with the deadline it was
 * given: for code that is handed a {@link BitcoinDaemon} (the tip follower, the start-up
 * checks) and must be seen to give each call the time it should, measured on the time source
 * it was given. Only the calls such code makes are scripted; any other goes nowhere (no
 * JSON-RPC client behind it).
 */
public final class ScriptedDaemon extends BitcoinDaemon {

  /** One call: its method, its argument (null: none), its deadline and its answer to give. */
  public record Call(String method, Object argument, Deadline deadline, Promise<Object> answer) {
  }

  private final List<Call> calls = new ArrayList<>();

  private ScriptedDaemon(DaemonContext ctx) {
    super(ctx);
  }

  /** A Bitcoin regtest daemon of the default kind, on {@code time}. */
  public static ScriptedDaemon on(Vertx vertx, TimeSource time) {
    return new ScriptedDaemon(new DaemonContext(vertx, time, new DaemonOptions(),
        CoinTable.load().find("Bitcoin", "regtest"), DaemonKind.DEFAULT, new JsonRpc(null), null,
        null, null, null));
  }

  /** Every call so far, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The methods called so far, in order. */
  public List<String> methods() {
    return calls.stream().map(Call::method).toList();
  }

  /** The {@code n}-th call (from 0). */
  public Call call(int n) {
    return calls.get(n);
  }

  @Override
  public Future<String> bestBlockHash(Deadline deadline) {
    return ask("getbestblockhash", null, deadline);
  }

  @Override
  public Future<BlockHeader> blockHeader(String hash, Deadline deadline) {
    return ask("getblockheader", hash, deadline);
  }

  @Override
  public Future<String> blockHash(int height, Deadline deadline) {
    return ask("getblockhash", height, deadline);
  }

  @Override
  public Future<JsonObject> networkInfo(Deadline deadline) {
    return ask("getnetworkinfo", null, deadline);
  }

  @Override
  public Future<Object> indexInfo(Deadline deadline) {
    return ask("getindexinfo", null, deadline);
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> ask(String method, Object argument, Deadline deadline) {
    Promise<Object> answer = Promise.promise();
    calls.add(new Call(method, argument, deadline, answer));
    return answer.future().map((Object result) -> (T) result);
  }
}
