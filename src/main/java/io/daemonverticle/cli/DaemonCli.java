package io.daemonverticle.cli;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.daemonverticle.BlockFrames;
import io.daemonverticle.DaemonClient;
import io.daemonverticle.DaemonException;
import io.daemonverticle.DaemonOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/dv}: joins the cluster on loopback, sends one action to a running
 * DaemonVerticle, prints the reply, leaves. Exit status 0 answered, 1 failed, 2 usage.
 */
public final class DaemonCli {

  static final String USAGE = String.join("\n",
      "Usage: scripts/dv ACTION [JSON_BODY] [--timeout MS] [--url URL | --cluster [--address ADDR]]",
      "                 [--verbose]",
      "",
      "Sends one request to a running DaemonVerticle and prints the reply: JSON",
      "pretty-printed; for rawBlocks one line per block with its double-SHA256 header hash and",
      "size. A failure prints 'error CODE: text' on stderr and exits 1.",
      "By default it POSTs to the service's HTTP front: URL, else http://127.0.0.1:PORT with",
      "the httpPort of conf/config.json (the config scripts/run starts the service with), or",
      "HTTP_PORT (and HTTP_HOST) when set, as scripts/run --http-port sets them.",
      "With --cluster it joins the local Hazelcast cluster (127.0.0.1) instead, as a lite",
      "member, and sends the request on the event bus (slower: a second or two to join).",
      "",
      "  --timeout MS    the request's deadline (timeout-ms header; default: the service's)",
      "  --url URL       the HTTP front, e.g. http://127.0.0.1:8339",
      "  --cluster       go through the cluster's event bus instead of HTTP",
      "  --address ADDR  event-bus address of the service, with --cluster (default: daemon)",
      "  --verbose       keep Vert.x and Hazelcast logs at INFO",
      "",
      "Environment: DAEMON_HTTP_TOKEN, the service's httpToken, when it has one.",
      "",
      "Examples:",
      "  scripts/dv height",
      "  scripts/dv blockHexHashes '{\"first\":0,\"count\":3}'",
      "  scripts/dv rawBlocks '{\"hashes\":[\"HASH\"]}'",
      "  scripts/dv estimateFee '{\"blocks\":6}'",
      "  scripts/dv status");

  /** The service's config file (scripts/dv passes conf/config.json): where httpPort is. */
  static final String CONFIG_PROPERTY = "dv.config";

  /** Levels the fat jar's logback.xml (conf/logback.xml) reads: root, and Hazelcast's. */
  static final String ROOT_LEVEL = "daemonverticle.log.root";
  static final String HAZELCAST_LEVEL = "daemonverticle.log.hazelcast";

  private DaemonCli() {
  }

  public static void main(String[] args) {
    // Set before any networking or Hazelcast class loads; the scripts pass them too.
    System.setProperty("java.net.preferIPv4Stack", "true");
    System.setProperty("hazelcast.phone.home.enabled", "false");
    System.setProperty("hazelcast.logging.type", "slf4j");
    // Before the first logger is made: the logging backend reads its config once.
    quietLogs(args);
    int status;
    try {
      CliArgs parsed = CliArgs.parse(args);
      if (parsed.help()) {
        System.out.println(USAGE);
        status = 0;
      } else {
        status = run(parsed, System.out, System.err);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("dv: " + e.getMessage());
      System.err.println("Try 'scripts/dv --help'.");
      status = 2;
    }
    // Hazelcast leaves non-daemon threads behind for a while after shutdown.
    System.exit(status);
  }

  static int run(CliArgs args, PrintStream out, PrintStream err) {
    if (!args.cluster()) {
      return HttpCall.run(args, System.getProperty(CONFIG_PROPERTY), System.getenv(),
          System.getenv(HttpCall.TOKEN_VARIABLE), out, err);
    }
    Config hazelcast;
    try {
      hazelcast = loopbackConfig();
    } catch (IllegalStateException e) {
      err.println("dv: " + e.getMessage());
      return 1;
    }
    // Joined first as Hazelcast alone: a lite member with no data member beside it (no
    // service running) makes Vert.x fail its start with NoDataMemberInClusterException and a
    // stack trace in the log. Said in one line instead.
    HazelcastInstance member;
    try {
      member = Hazelcast.newHazelcastInstance(hazelcast);
    } catch (RuntimeException e) {
      err.println("dv: could not join the cluster on 127.0.0.1: " + rootMessage(e));
      return 1;
    }
    if (member.getCluster().getMembers().stream().allMatch(m -> m.isLiteMember())) {
      member.shutdown();
      err.println("dv: no service in the cluster on 127.0.0.1 (no member but this one): "
          + "start it with scripts/run, or leave out --cluster to use its HTTP front");
      return 1;
    }
    Vertx vertx;
    try {
      vertx = Vertx.builder()
          .with(new VertxOptions().setEventBusOptions(
              new EventBusOptions().setHost("127.0.0.1").setPort(0)))
          .withClusterManager(new HazelcastClusterManager(member))
          .buildClustered()
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      member.shutdown();
      err.println("dv: could not join the cluster on 127.0.0.1: " + rootMessage(e));
      return 1;
    }
    try {
      DaemonClient client = client(vertx, args);
      CompletableFuture<Object> reply = client.request(args.action(), args.body())
          .toCompletionStage().toCompletableFuture();
      Object body;
      try {
        body = reply.get();
      } catch (ExecutionException e) {
        DaemonException failure = DaemonException.fromReply(e.getCause());
        err.println("error " + failure.code() + ": " + explain(failure, args.address()));
        return 1;
      }
      print(body, out);
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Leaving the cluster late is harmless for a one-shot command.
      }
      // Vert.x leaves a Hazelcast instance it was handed running: this one is ours to end.
      member.shutdown();
    }
  }

  /** The member attribute vertx-hazelcast reads a provided instance's node id from. */
  static final String VERTX_NODE_ID = "__vertx.nodeId";

  /**
   * The cluster config the service uses (vertx.hazelcast.config, else the classpath
   * cluster.xml, as HazelcastClusterManager's own default lookup), refused when it could send
   * anything beyond loopback. A lite member: it holds no partitions, so joining and leaving
   * moves no data of the service's maps.
   */
  static Config loopbackConfig() {
    Config config = ConfigUtil.loadConfig();
    if (config == null) {
      throw new IllegalStateException("no Hazelcast cluster configuration found");
    }
    JoinConfig join = config.getNetworkConfig().getJoin();
    if (join.getMulticastConfig().isEnabled()) {
      throw new IllegalStateException("the Hazelcast configuration enables multicast; "
          + "refusing to join (this tool joins loopback clusters only)");
    }
    // Vert.x, handed a running Hazelcast instance, takes its node id from this member
    // attribute (set by the cluster manager only for instances it starts itself); without it
    // the join fails, and the service's nodes fail to handle this member leaving.
    config.getMemberAttributeConfig().setAttribute(VERTX_NODE_ID, UUID.randomUUID().toString());
    return config.setLiteMember(true);
  }

  static void print(Object body, PrintStream out) {
    if (body instanceof Buffer framed) {
      List<Buffer> blocks = BlockFrames.read(framed);
      for (Buffer block : blocks) {
        String hash = BlockFrames.sha256dHash(block);
        out.println((hash == null ? "(shorter than a header)" : hash) + " " + block.length()
            + " bytes");
      }
    } else if (body instanceof JsonObject json) {
      out.println(json.encodePrettily());
    } else if (body instanceof JsonArray json) {
      out.println(json.encodePrettily());
    } else if (body instanceof Double || body instanceof Float) {
      // Fees are small decimals: 0.00001, not Java's 1.0E-5.
      out.println(new BigDecimal(body.toString()).stripTrailingZeros().toPlainString());
    } else {
      out.println(body);
    }
  }

  static String explain(DaemonException failure, String address) {
    String text = failure.getMessage();
    if (failure.code() == DaemonException.UNAVAILABLE && text != null
        && text.endsWith("NO_HANDLERS")) {
      return "no DaemonVerticle serves address '" + address + "' on the local cluster "
          + "(is scripts/run running?)";
    }
    return text;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /**
   * A one-shot command prints its answer, not the service's INFO lines: WARN at the root, and
   * ERROR for Hazelcast, which warns at start about the CP subsystem and split-brain
   * protection that a one-shot client does not use. Set as system properties that the
   * logging config reads (no logging backend's API here: the library does not depend on one),
   * unless --verbose or the command line's own -D settings say otherwise.
   */
  static void quietLogs(String[] args) {
    List<String> given = Arrays.asList(args);
    if (given.contains("--verbose") || given.contains("-v")) {
      return;
    }
    System.getProperties().putIfAbsent(ROOT_LEVEL, "WARN");
    System.getProperties().putIfAbsent(HAZELCAST_LEVEL, "ERROR");
  }

  /** Without --timeout the service's own deadline (no header), as over HTTP. */
  static DaemonClient client(Vertx vertx, CliArgs args) {
    return args.timeoutMs() > 0 ? DaemonClient.create(vertx, args.address(), args.timeoutMs())
        : DaemonClient.create(vertx, args.address());
  }

  /** The parsed command line. */
  record CliArgs(String action, JsonObject body, long timeoutMs, String address,
                 boolean verbose, boolean help, boolean cluster, String url) {

    static CliArgs parse(String[] args) {
      String action = null;
      JsonObject body = null;
      long timeout = 0;
      String address = null;
      String url = null;
      boolean verbose = false;
      boolean cluster = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "-h", "--help" -> {
            return new CliArgs(null, null, 0, DaemonOptions.DEFAULT_ADDRESS, false, true,
                false, null);
          }
          case "--verbose", "-v" -> verbose = true;
          case "--cluster" -> cluster = true;
          case "--url" -> url = value(args, ++i, arg);
          case "--timeout" -> {
            String value = value(args, ++i, arg);
            try {
              timeout = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--timeout needs a number of milliseconds, "
                  + "not '" + value + "'");
            }
            if (timeout <= 0) {
              throw new IllegalArgumentException("--timeout must be positive");
            }
          }
          case "--address" -> address = value(args, ++i, arg);
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option '" + arg + "'");
            } else if (action == null) {
              action = arg;
            } else if (body == null) {
              body = json(arg);
            } else {
              throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
          }
        }
      }
      if (action == null) {
        throw new IllegalArgumentException("missing ACTION");
      }
      if (cluster && url != null) {
        throw new IllegalArgumentException("--url and --cluster exclude each other");
      }
      if (!cluster && address != null) {
        // The HTTP front serves the address of the service it belongs to.
        throw new IllegalArgumentException("--address needs --cluster (the HTTP front "
            + "serves its own service's address)");
      }
      return new CliArgs(action, body, timeout,
          address == null ? DaemonOptions.DEFAULT_ADDRESS : address, verbose, false, cluster,
          url);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException("option " + option + " needs a value");
      }
      return args[i];
    }

    private static JsonObject json(String text) {
      try {
        return new JsonObject(text);
      } catch (DecodeException | ClassCastException e) {
        throw new IllegalArgumentException("JSON_BODY must be a JSON object, e.g. "
            + "'{\"first\":0,\"count\":3}': " + e.getMessage());
      }
    }
  }
}
