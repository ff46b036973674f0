package io.daemonverticle.impl.transport;

import io.daemonverticle.impl.config.Redactor;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One daemon URL, cleaned as ElectrumX's {@code sanitize_url} does: surrounding spaces and
 * trailing slashes removed, {@code user:pass@} required (unless a cookie file gives them),
 * the coin's RPC port when none is given, {@code http://} when no scheme is given, one
 * trailing slash. The credentials are kept apart: {@link #toString()} never shows them.
 */
public final class DaemonUrl {

  private final boolean tls;
  private final String host;
  private final int port;
  private final String path;
  private final Credentials credentials;

  private DaemonUrl(boolean tls, String host, int port, String path, Credentials credentials) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.path = path;
    this.credentials = credentials;
  }

  /**
   * Parses a comma-separated list. Error messages never repeat the text given, as it may hold
   * a password; they say which URL (by position) and what is wrong.
   */
  public static List<DaemonUrl> parseList(String urls, Integer defaultPort,
                                          boolean credentialsOptional) {
    if (urls == null || urls.isBlank()) {
      throw new IllegalArgumentException("daemonUrl is empty: give at least one daemon URL "
          + "(daemonUrl in the config, or DAEMON_URL in the environment of the fat jar)");
    }
    List<DaemonUrl> result = new ArrayList<>();
    String[] parts = urls.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      try {
        result.add(parse(parts[i], defaultPort, credentialsOptional));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid daemon URL #" + (i + 1) + ": "
            + e.getMessage());
      }
    }
    return result;
  }

  public static DaemonUrl parse(String raw, Integer defaultPort, boolean credentialsOptional) {
    String url = raw.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (url.isEmpty()) {
      throw new IllegalArgumentException("it is empty");
    }
    // The last '@' separates the credentials, so a password may itself contain '@'; the
    // Redactor masks by the same rule.
    int at = Redactor.userInfoEnd(url);
    boolean tls = false;
    int schemeEnd = url.indexOf("://");
    int hostStart = 0;
    if (schemeEnd >= 0) {
      String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
      if (scheme.equals("https")) {
        tls = true;
      } else if (!scheme.equals("http")) {
        throw new IllegalArgumentException("scheme must be http or https");
      }
      hostStart = schemeEnd + 3;
    }
    Credentials credentials = null;
    if (at >= 0) {
      String userInfo = url.substring(hostStart, at);
      url = url.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (userInfo.isEmpty() || colon < 0) {
        throw new IllegalArgumentException("credentials must be given as user:pass@");
      }
      credentials = new Credentials(decode(userInfo.substring(0, colon)),
          decode(userInfo.substring(colon + 1)));
    } else if (!credentialsOptional) {
      throw new IllegalArgumentException(
          "it needs credentials (http://user:pass@host:port/) or a cookieFile");
    } else {
      url = url.substring(hostStart);
    }
    String host;
    String rest;
    if (url.startsWith("[")) {
      int close = url.indexOf(']');
      if (close < 0 || !url.substring(1, close).matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException("bad IPv6 host");
      }
      host = url.substring(0, close + 1);
      rest = url.substring(close + 1);
    } else {
      int end = 0;
      while (end < url.length() && url.charAt(end) != ':' && url.charAt(end) != '/') {
        end++;
      }
      host = url.substring(0, end);
      rest = url.substring(end);
    }
    if (host.isEmpty() || host.equals("[]")) {
      throw new IllegalArgumentException("it has no host");
    }
    int port;
    if (rest.startsWith(":")) {
      int end = 1;
      while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
        end++;
      }
      String digits = rest.substring(1, end);
      if (digits.isEmpty() || digits.length() > 5 || Integer.parseInt(digits) > 65535
          || Integer.parseInt(digits) == 0) {
        throw new IllegalArgumentException("bad port");
      }
      port = Integer.parseInt(digits);
      rest = rest.substring(end);
    } else {
      if (defaultPort == null) {
        throw new IllegalArgumentException("it has no port and the coin table has none for "
            + "this coin: add :port");
      }
      port = defaultPort;
    }
    if (!rest.isEmpty() && !rest.startsWith("/")) {
      throw new IllegalArgumentException("unexpected text after the port");
    }
    return new DaemonUrl(tls, host, port, rest + "/", credentials);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  public boolean isTls() {
    return tls;
  }

  public String host() {
    return host;
  }

  /** The host without IPv6 brackets, as a socket address wants it. */
  public String socketHost() {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  public int port() {
    return port;
  }

  public String path() {
    return path;
  }

  public boolean hasCredentials() {
    return credentials != null;
  }

  /** The user and password given in the URL, or null when a cookie file gives them. */
  public Credentials credentials() {
    return credentials;
  }

  /** The URL to post to, without credentials (they go in the Authorization header). */
  public String endpoint() {
    return (tls ? "https://" : "http://") + host + ":" + port + path;
  }

  /** Scheme, host and port, without path or credentials: where absolute paths go. */
  public String origin() {
    return (tls ? "https://" : "http://") + host + ":" + port;
  }

  /** ElectrumX's {@code logged_url}: {@code host:port/}, what logs and status show. */
  @Override
  public String toString() {
    return host + ":" + port + path;
  }
}
