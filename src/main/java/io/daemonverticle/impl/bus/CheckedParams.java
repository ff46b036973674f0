package io.daemonverticle.impl.bus;

import io.daemonverticle.ActionParam;
import io.daemonverticle.ActionSpec;
import java.util.Map;

/**
 * The parameters of one request, every one checked against its action's declaration: an
 * operation reads them by their declared constants, typed, and can only read those its
 * action declares.
 */
public final class CheckedParams {

  private final ActionSpec spec;
  private final Map<ActionParam<?>, Object> values;

  CheckedParams(ActionSpec spec, Map<ActionParam<?>, Object> values) {
    this.spec = spec;
    this.values = values;
  }

  /**
   * @return the checked value; for an optional parameter left out, its fallback
   * @throws IllegalStateException when the action does not declare {@code param} (a bug in
   *     the binding, found by the tests that call every action)
   */
  @SuppressWarnings("unchecked")
  public <T> T get(ActionParam<T> param) {
    if (!spec.params().contains(param)) {
      throw new IllegalStateException("action " + spec.name() + " declares no parameter "
          + param.name());
    }
    return (T) values.get(param);
  }
}
