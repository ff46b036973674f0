package io.daemonverticle.impl.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;

/**
 * A front bound to loopback without a token trusts whoever can reach the port: this machine.
 * A web page in a browser on this machine can reach it too, by a cross-site request (it sends
 * an {@code Origin} header) or by DNS rebinding (a name of the attacker's resolving to
 * 127.0.0.1: its {@code Host} header names that). So such a front answers only requests whose
 * {@code Host} is a loopback name or address and that carry no foreign {@code Origin}: 421 and
 * 403 otherwise. curl, scripts and other services send no {@code Origin} and a loopback Host.
 */
final class LoopbackGuard implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    String host = ctx.request().getHeader("host");
    if (host == null || !isLoopback(hostOf(host))) {
      ErrorReply.send(ctx.response(), 421, "this HTTP front listens on loopback and answers "
          + "only requests addressed to a loopback host, not " + host, ErrorReply.HTTP);
      return;
    }
    String origin = ctx.request().getHeader("origin");
    if (origin != null && !isLoopbackOrigin(origin)) {
      ErrorReply.send(ctx.response(), 403, "cross-site requests are refused: this HTTP front "
          + "has no token and answers pages of this machine only", ErrorReply.HTTP);
      return;
    }
    ctx.next();
  }

  /** Whether a front on {@code httpHost} with {@code httpToken} needs this guard. */
  static boolean needed(String httpHost, String httpToken) {
    return httpToken == null && isLoopback(httpHost);
  }

  /** The host of a Host header: without its port, an IPv6 address without its brackets. */
  static String hostOf(String header) {
    String h = header.trim();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1") || isLoopbackV4(h);
  }

  private static boolean isLoopbackV4(String h) {
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLoopbackOrigin(String origin) {
    try {
      String host = URI.create(origin.trim()).getHost();
      return host != null && isLoopback(host.startsWith("[")
          ? host.substring(1, host.length() - 1) : host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
