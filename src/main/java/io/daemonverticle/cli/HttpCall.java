package io.daemonverticle.cli;

import io.daemonverticle.DaemonException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/dv} over the service's HTTP front: one POST, no cluster to join, so it answers
 * as fast as a JVM starts. Prints what the event-bus path prints, from the same reply.
 */
final class HttpCall {

  /** The service's httpToken, for a front that asks for one. */
  static final String TOKEN_VARIABLE = "DAEMON_HTTP_TOKEN";
  /** Longest wait when no --timeout is given: the service answers by its own deadline. */
  private static final long DEFAULT_WAIT_MS = 120_000;
  /** Slack past --timeout for the service's answer to arrive. */
  private static final long SLACK_MS = 10_000;

  private HttpCall() {
  }

  static int run(DaemonCli.CliArgs args, String configFile, String token, PrintStream out,
                 PrintStream err) {
    return run(args, configFile, Map.of(), token, out, err);
  }

  /**
   * @param env where {@code HTTP_PORT} and {@code HTTP_HOST} are read, over the config file's
   *     httpPort and httpHost, as the service reads them: scripts/dv then finds a service that
   *     scripts/run moved
   */
  static int run(DaemonCli.CliArgs args, String configFile, Map<String, String> env,
                 String token, PrintStream out, PrintStream err) {
    URI base;
    try {
      base = args.url() != null ? URI.create(args.url().endsWith("/") ? args.url()
          : args.url() + "/") : fromConfig(configFile, env);
      if (!"http".equals(base.getScheme()) || base.getHost() == null) {
        throw new IllegalArgumentException("--url must be http://HOST:PORT, not " + base);
      }
    } catch (IllegalArgumentException e) {
      err.println("dv: " + e.getMessage());
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    try {
      int port = base.getPort() > 0 ? base.getPort() : 80;
      WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000));
      HttpRequest<Buffer> request = client.request(HttpMethod.POST, port, base.getHost(),
              base.getRawPath() + "actions/" + args.action())
          .timeout(args.timeoutMs() > 0 ? args.timeoutMs() + SLACK_MS : DEFAULT_WAIT_MS);
      if (args.timeoutMs() > 0) {
        request.putHeader("timeout-ms", Long.toString(args.timeoutMs()));
      }
      if (token != null && !token.isBlank()) {
        request.putHeader("Authorization", "Bearer " + token.trim());
      }
      HttpResponse<Buffer> response;
      try {
        response = (args.body() == null ? request.send()
            : request.sendBuffer(args.body().toBuffer()))
            .toCompletionStage().toCompletableFuture().get();
      } catch (ExecutionException e) {
        err.println("dv: no answer from the HTTP front at " + base + ": "
            + e.getCause().getMessage() + " (is scripts/run running? or try --cluster)");
        return 1;
      }
      return print(response, out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Exiting anyway.
      }
    }
  }

  private static int print(HttpResponse<Buffer> response, PrintStream out, PrintStream err) {
    Buffer body = response.body() == null ? Buffer.buffer() : response.body();
    String type = String.valueOf(response.getHeader("content-type"));
    if (response.statusCode() == 200) {
      if (type.startsWith("application/octet-stream")) {
        DaemonCli.print(body, out);
      } else {
        DaemonCli.print(Json.decodeValue(body), out);
      }
      return 0;
    }
    String message;
    int code = response.statusCode();
    try {
      JsonObject failure = new JsonObject(body);
      message = failure.getString("message");
    } catch (DecodeException | ClassCastException e) {
      message = body.toString();
    }
    err.println("error " + code + ": " + DaemonCli.explain(new DaemonException(code, message),
        "daemon"));
    return 1;
  }

  /** http://HOST:httpPort/ from the service's config file, HTTP_PORT/HTTP_HOST over it. */
  static URI fromConfig(String configFile, Map<String, String> env) {
    String envPort = env.get("HTTP_PORT");
    String envHost = env.get("HTTP_HOST");
    if (envPort != null && !envPort.isBlank()) {
      try {
        return uri(envHost == null || envHost.isBlank() ? "127.0.0.1" : envHost,
            Integer.parseInt(envPort.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("HTTP_PORT must be a port number, not " + envPort);
      }
    }
    if (configFile == null) {
      throw new IllegalArgumentException("no --url given and no config file to find the "
          + "service's httpPort in; pass --url http://127.0.0.1:PORT or --cluster");
    }
    JsonObject config;
    try {
      config = new JsonObject(Files.readString(Path.of(configFile)));
    } catch (IOException | DecodeException e) {
      throw new IllegalArgumentException("cannot read " + configFile + ": " + e.getMessage());
    }
    Object port = config.getValue("httpPort");
    if (!(port instanceof Number n) || n.intValue() <= 0) {
      throw new IllegalArgumentException(configFile + " sets no httpPort: the service has no "
          + "HTTP front; pass --url or --cluster");
    }
    String host = envHost != null && !envHost.isBlank() ? envHost
        : config.getString("httpHost", "127.0.0.1");
    return uri(host, n.intValue());
  }

  private static URI uri(String host, int port) {
    String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    try {
      return new URI("http", null, reachable, port, "/", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("httpHost " + host + " is no host name");
    }
  }
}
