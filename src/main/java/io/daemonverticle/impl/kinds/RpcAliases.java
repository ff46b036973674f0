package io.daemonverticle.impl.kinds;

import io.daemonverticle.impl.ops.Action;
import io.daemonverticle.impl.ops.DaemonContext;
import io.daemonverticle.impl.rpc.RpcCall;
import java.util.Map;

/**
 * The variant actions that hand the caller's {@code params} array to one fixed RPC method
 * (ElectrumX's masternode_broadcast, masternode_list, protx, smartrewards). The method name is
 * fixed by the kind, never chosen by the caller: no action passes an arbitrary RPC through.
 */
final class RpcAliases {

  /** The body key holding the caller's positional parameters. */
  static final String PARAMS = "params";

  private RpcAliases() {
  }

  /** Registers each action name to call its RPC method with the caller's params. */
  static void register(DaemonContext ctx, Map<String, Action> actions,
                       Map<String, String> actionToMethod) {
    actionToMethod.forEach((action, method) -> actions.put(action, alias(ctx, method)));
  }

  static Action alias(DaemonContext ctx, String method) {
    int maxItems = ctx.options().getMaxBatch();
    return (p, d) -> ctx.rpc().call(new RpcCall(method, p.paramsArray(PARAMS, maxItems)), d);
  }
}
