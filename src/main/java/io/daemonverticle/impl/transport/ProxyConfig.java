package io.daemonverticle.impl.transport;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** ElectrumX's {@code proxy_url}: {@code socks5://host:port} or {@code http://host:port}. */
public final class ProxyConfig {

  private ProxyConfig() {
  }

  public static ProxyOptions parse(String proxyUrl) {
    if (proxyUrl == null || proxyUrl.isBlank()) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(proxyUrl.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("proxyUrl is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    ProxyType type = switch (scheme) {
      case "socks5", "socks5h", "socks" -> ProxyType.SOCKS5;
      case "socks4", "socks4a" -> ProxyType.SOCKS4;
      case "http" -> ProxyType.HTTP;
      default -> throw new IllegalArgumentException(
          "proxyUrl must start with socks5:// or http://");
    };
    if (uri.getHost() == null || uri.getPort() <= 0) {
      throw new IllegalArgumentException("proxyUrl must give host and port");
    }
    ProxyOptions options = new ProxyOptions().setType(type).setHost(uri.getHost())
        .setPort(uri.getPort());
    if (uri.getUserInfo() != null) {
      String[] creds = uri.getUserInfo().split(":", 2);
      options.setUsername(creds[0]);
      if (creds.length > 1) {
        options.setPassword(creds[1]);
      }
    }
    return options;
  }
}
