package io.daemonverticle.impl.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonverticle.ActionParam;
import io.daemonverticle.ActionSpec;
import io.daemonverticle.Actions;
import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.kinds.BitcoinDaemon;
import io.daemonverticle.impl.kinds.CoinTable;
import io.daemonverticle.impl.kinds.DaemonContext;
import io.daemonverticle.impl.kinds.DaemonKinds;
import io.daemonverticle.impl.resilience.Deadline;
import io.daemonverticle.impl.time.NanoClock;
import io.vertx.core.Future;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The table serves exactly what the declarations say each kind serves, checked as declared. */
@ExtendWith(VertxExtension.class)
class ActionTableTest {

  private static final int MAX_BATCH = 5;

  @ParameterizedTest
  @EnumSource(DaemonKind.class)
  void eachKindServesExactlyTheActionsDeclaredForIt(DaemonKind kind, Vertx vertx) {
    Map<String, Action> table = ActionTable.of(daemon(vertx, kind), MAX_BATCH,
        () -> Future.succeededFuture(new JsonObject()));
    Set<String> declared = Actions.SPECS.stream().filter((ActionSpec s) -> s.servedBy(kind))
        .map(ActionSpec::name).collect(Collectors.toSet());
    assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(declared);
  }

  @ParameterizedTest
  @EnumSource(value = DaemonKind.class, names = {"DEFAULT", "DASH"})
  void everyDeclaredParameterIsCheckedBeforeTheOperationRuns(DaemonKind kind, Vertx vertx) {
    Map<String, Action> table = ActionTable.of(daemon(vertx, kind), MAX_BATCH,
        () -> Future.succeededFuture(new JsonObject()));
    for (ActionSpec spec : Actions.SPECS) {
      if (!table.containsKey(spec.name())) {
        continue;
      }
      JsonObject valid = new JsonObject();
      for (ActionParam<?> param : spec.params()) {
        valid.put(param.name(), validValue(param.type()));
      }
      for (ActionParam<?> param : spec.params()) {
        // A valid body but for one parameter of the wrong JSON type: a 400 naming it,
        // thrown before the operation (whose daemon here could not answer) is reached.
        JsonObject body = valid.copy().put(param.name(), new JsonObject());
        assertThatThrownBy(() -> table.get(spec.name()).handle(Params.of(body),
                Deadline.in(1_000, NanoClock.SYSTEM)))
            .as(spec.name() + "." + param.name())
            .isInstanceOfSatisfying(DaemonException.class, (DaemonException e) -> {
              assertThat(e.code()).isEqualTo(400);
              assertThat(e.getMessage()).startsWith(param.name());
            });
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = DaemonKind.class, names = {"DEFAULT"})
  void aBatchOverMaxBatchIsRefusedByItsDeclaredBound(DaemonKind kind, Vertx vertx) {
    Map<String, Action> table = ActionTable.of(daemon(vertx, kind), MAX_BATCH,
        () -> Future.succeededFuture(new JsonObject()));
    JsonArray six = new JsonArray(List.of("00".repeat(32), "00".repeat(32), "00".repeat(32),
        "00".repeat(32), "00".repeat(32), "00".repeat(32)));
    assertThatThrownBy(() -> table.get(Actions.RAW_BLOCKS).handle(
            Params.of(new JsonObject().put("hashes", six)), Deadline.in(1_000, NanoClock.SYSTEM)))
        .isInstanceOfSatisfying(DaemonException.class, (DaemonException e) ->
            assertThat(e.getMessage()).contains("at most " + MAX_BATCH));
    assertThatThrownBy(() -> table.get(Actions.BLOCK_HEX_HASHES).handle(
            Params.of(new JsonObject().put("first", 0).put("count", MAX_BATCH + 1)),
            Deadline.in(1_000, NanoClock.SYSTEM)))
        .isInstanceOfSatisfying(DaemonException.class, (DaemonException e) ->
            assertThat(e.getMessage()).isEqualTo("count must be at most 5, not 6"));
  }

  private static Object validValue(ActionParam.Type type) {
    return switch (type) {
      case WHOLE_NUMBER -> 1;
      case HASH -> "00".repeat(32);
      case HASHES -> new JsonArray().add("00".repeat(32));
      case RAW_TX -> "00";
      case RAW_TXS -> new JsonArray().add("00");
      case BOOLEAN -> true;
      case FEE_MODE -> "ECONOMICAL";
      case JSON_ARRAY -> new JsonArray();
    };
  }

  /** A kind over a client that is never called: only the table's binding is under test. */
  private static BitcoinDaemon daemon(Vertx vertx, DaemonKind kind) {
    DaemonOptions options = new DaemonOptions().setEstimateFee(0.0002).setRelayFee(0.0001);
    return DaemonKinds.create(new DaemonContext(vertx, TimeSource.of(vertx), options,
        CoinTable.load().find("Bitcoin", "regtest"), kind, new JsonRpc(null), null, null, null,
        null));
  }
}
