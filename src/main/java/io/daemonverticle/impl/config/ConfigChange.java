package io.daemonverticle.impl.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an edit of the config changed, split into what a running service takes without a
 * restart (the daemon URLs, timeouts and retry settings: they belong to the RPC client, which
 * can be built anew while requests in flight finish on the old one) and what needs a restart
 * (the address, coin, HTTP front, cluster caches, ...). Its text is for the log: secrets and
 * URL credentials never appear in it (the {@link Redactor}'s rules; a new password is not yet
 * known to {@link Secrets}, so a URL's is masked as the URL parser finds it).
 */
public record ConfigChange(List<String> reloadable, List<String> needRestart, String text) {

  /** The keys whose new values a running service can take. */
  public static final Set<String> RELOADABLE = Set.of("daemonUrl", "requestTimeoutMs",
      "attemptTimeoutMs", "initRetryMs", "maxRetryMs", "breakerMaxFailures", "breakerResetMs",
      "hedgeAfterMs");

  /** The change from {@code before} to {@code after}, over the declared keys. */
  public static ConfigChange between(JsonObject before, JsonObject after,
                                     List<OptionKey<?>> keys) {
    List<String> reloadable = new ArrayList<>();
    List<String> needRestart = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (OptionKey<?> key : keys) {
      Object was = before.getValue(key.name());
      Object now = after.getValue(key.name());
      if (Objects.equals(text(was), text(now))) {
        continue;
      }
      boolean live = RELOADABLE.contains(key.name());
      (live ? reloadable : needRestart).add(key.name());
      lines.add(key.name() + ": " + shown(key, was) + " -> " + shown(key, now)
          + (live ? "" : " (takes effect on restart)"));
    }
    return new ConfigChange(List.copyOf(reloadable), List.copyOf(needRestart),
        String.join("; ", lines));
  }

  public boolean isEmpty() {
    return reloadable.isEmpty() && needRestart.isEmpty();
  }

  /** Numbers from different layers compare by value: 3000 (JSON) equals "3000" (env). */
  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static String shown(OptionKey<?> key, Object value) {
    if (value == null) {
      return "(default)";
    }
    if (key.isSecret()) {
      return "(secret)";
    }
    return Secrets.mask(Redactor.maskUrlList(value.toString()));
  }
}
