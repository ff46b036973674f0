package io.daemonverticle.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second transport-limit client of scripts/bench, beside {@code wire-client.js}: the same
 * commands and requests, on NIO sockets (blocking but for height), each reply's body read
 * into one direct buffer and dropped. The Node client turned out slower at taking in large replies than the service
 * itself (the service's blocks ran at 1.1-1.2 times its figure), so it was no limit there; the
 * benchmark sets each figure against the faster of the two. Nothing here parses JSON but the
 * hashes it needs for the next request and, once and untimed, block 0's txids.
 *
 * <pre>
 *   java ... WireClient --port P [--block-bytes B]
 * </pre>
 *
 * <p>Then "MODE COUNT" lines on stdin, each answered by one JSON line
 * {@code {"mode":"MODE.java","count","seconds","units"}}. The modes are those of
 * wire-client.js. REST blocks go 10 at a time, as the service fetches a rawBlocks request's;
 * the rounds of the blocks modes go one at a time, or two in flight (rpc-blocks2,
 * rest-blocks2: a lane of connections and a thread each). Height keeps 10 calls in flight the
 * whole time, on 10 connections that one thread watches with a selector and sends each its
 * next call as its answer arrives ({@link InFlight}), as the service's load and
 * wire-client.js do.
 */
public final class WireClient implements AutoCloseable {

  static final String SUFFIX = ".java";
  private static final int BLOCK_BATCH = 10;
  private static final int TX_BATCH = 100;
  private static final int IN_FLIGHT = 10;

  private final int port;
  private final int blockBytes;
  private final String auth;
  private final List<Connection> connections = new ArrayList<>();
  /** Lanes 1 and up of the blocks modes with rounds in flight, each its own connections. */
  private final List<List<Connection>> extraLanes = new ArrayList<>();
  private ExecutorService laneThreads;
  private List<String> txids;

  WireClient(int port, int blockBytes) throws IOException {
    this.port = port;
    this.blockBytes = blockBytes;
    this.auth = "Basic " + Base64.getEncoder().encodeToString((FakeDaemonPort.USER + ":"
        + FakeDaemonPort.PASSWORD).getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < IN_FLIGHT; i++) {
      connections.add(new Connection(port));
    }
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(List.of(argv), Set.of(), Set.of("port", "block-bytes"));
    int port = args.positive("port", 0);
    if (port == 0) {
      System.err.println("usage: WireClient --port P [--block-bytes B]; then MODE COUNT lines");
      System.exit(2);
    }
    WireClient client = new WireClient(port, args.positive("block-bytes",
        Sizes.FULL.blockBytes()));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (!line.isBlank()) {
        System.out.println(client.command(line.strip()).encode());
      }
    }
  }

  /** Closes its connections. */
  @Override
  public void close() throws IOException {
    if (laneThreads != null) {
      laneThreads.shutdownNow();
    }
    for (Connection connection : connections) {
      connection.channel.close();
    }
    for (List<Connection> lane : extraLanes) {
      for (Connection connection : lane) {
        connection.channel.close();
      }
    }
  }

  /** One pass: "MODE COUNT" in, its JSON line out. */
  JsonObject command(String line) throws IOException {
    String[] parts = line.split("\\s+");
    int count = Integer.parseInt(parts[1]);
    if (parts[0].equals("txs") && txids == null) {
      txids = blockTxids();
    }
    long start = System.nanoTime();
    long units = switch (parts[0]) {
      case "rpc-blocks" -> blocks(count, 1, this::rpcRound);
      case "rest-blocks" -> blocks(count, 1, this::restRound);
      case "rpc-blocks2" -> blocks(count, 2, this::rpcRound);
      case "rest-blocks2" -> blocks(count, 2, this::restRound);
      case "txs" -> txs(count);
      case "height" -> height(count);
      default -> throw new IllegalArgumentException("unknown mode " + parts[0]
          + ": one of rpc-blocks, rest-blocks, rpc-blocks2, rest-blocks2, txs, height");
    };
    double seconds = (System.nanoTime() - start) / 1e9;
    return new JsonObject().put("mode", parts[0] + SUFFIX).put("count", count)
        .put("seconds", seconds).put("units", units);
  }

  /** One round of blocks on one lane's connections. */
  @FunctionalInterface
  private interface BlockRound {
    void fetch(List<Connection> lane, int first, int count) throws IOException;
  }

  /**
   * {@code count} blocks in rounds of 10, {@code inFlight} rounds at a time the whole pass:
   * each on a lane of connections of its own, the next round taken as one ends. The first
   * lane's rounds run on this thread, the others' on a thread each.
   */
  private long blocks(int count, int inFlight, BlockRound round) throws IOException {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> others = new ArrayList<>();
    for (int l = 1; l < inFlight; l++) {
      List<Connection> lane = lane(l);
      others.add(lanes().submit(() -> {
        blockRounds(count, next, lane, round);
        return null;
      }));
    }
    blockRounds(count, next, connections, round);
    for (Future<Void> other : others) {
      try {
        other.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    return (long) count * blockBytes;
  }

  private static void blockRounds(int count, AtomicInteger next, List<Connection> lane,
                                  BlockRound round) throws IOException {
    for (int first = next.getAndAdd(BLOCK_BATCH); first < count;
         first = next.getAndAdd(BLOCK_BATCH)) {
      round.fetch(lane, first, Math.min(BLOCK_BATCH, count - first));
    }
  }

  private void rpcRound(List<Connection> lane, int first, int count) throws IOException {
    List<String> hashes = blockHashes(lane.get(0), first, count);
    JsonArray batch = new JsonArray();
    for (int i = 0; i < hashes.size(); i++) {
      batch.add(call("getblock", new JsonArray().add(hashes.get(i)).add(false), i));
    }
    lane.get(0).send(post(batch.encode()));
    expectAtLeast(lane.get(0).receive(null), 2L * blockBytes * hashes.size(), "getblock batch");
  }

  private void restRound(List<Connection> lane, int first, int count) throws IOException {
    List<String> hashes = blockHashes(lane.get(0), first, count);
    for (int i = 0; i < hashes.size(); i++) {
      lane.get(i).send(get("/rest/block/" + hashes.get(i) + ".bin"));
    }
    for (int i = 0; i < hashes.size(); i++) {
      expectAtLeast(lane.get(i).receive(null), blockBytes, "REST block");
    }
  }

  /** The connections of lane {@code l} (lane 0: {@link #connections}), opened when first used. */
  private List<Connection> lane(int l) throws IOException {
    while (extraLanes.size() < l) {
      List<Connection> lane = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        lane.add(new Connection(port));
      }
      extraLanes.add(lane);
    }
    return extraLanes.get(l - 1);
  }

  private ExecutorService lanes() {
    if (laneThreads == null) {
      laneThreads = Executors.newCachedThreadPool((Runnable r) -> {
        Thread thread = new Thread(r, "wire-lane");
        thread.setDaemon(true);
        return thread;
      });
    }
    return laneThreads;
  }

  private long txs(int count) throws IOException {
    Connection connection = connections.get(0);
    for (int done = 0; done < count; done += TX_BATCH) {
      int n = Math.min(TX_BATCH, count - done);
      StringBuilder batch = new StringBuilder(n * 110).append('[');
      for (int i = 0; i < n; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"1.0\",\"method\":"
            + "\"getrawtransaction\",\"params\":[\"").append(txids.get((done + i) % txids.size()))
            .append("\",0],\"id\":").append(i).append('}');
      }
      connection.send(post(batch.append(']').toString()));
      expectAtLeast(connection.receive(null), n * 16L, "getrawtransaction batch");
    }
    return count;
  }

  private long height(int count) throws IOException {
    byte[] request = post("{\"jsonrpc\":\"1.0\",\"method\":\"getblockcount\",\"params\":[],"
        + "\"id\":1}");
    InFlight flight = new InFlight(count, IN_FLIGHT);
    try (Selector selector = Selector.open()) {
      for (Connection connection : connections) {
        connection.channel.configureBlocking(false);
        connection.channel.register(selector, SelectionKey.OP_READ, connection);
      }
      int opened = flight.open();
      for (int i = 0; i < opened; i++) {
        connections.get(i).send(request);
      }
      while (!flight.done()) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          Connection connection = (Connection) key.attachment();
          for (int replies = connection.receiveReady(); replies > 0; replies--) {
            if (flight.answered()) {
              connection.send(request);
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } finally {
      // Closing the selector deregistered them: the other modes read them blocking.
      for (Connection connection : connections) {
        connection.channel.configureBlocking(true);
      }
    }
    return count;
  }

  private List<String> blockHashes(Connection connection, int first, int n)
      throws IOException {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < n; i++) {
      batch.add(call("getblockhash", new JsonArray().add(first + i), i));
    }
    List<String> hashes = new ArrayList<>(n);
    for (Object result : results(exchange(connection, post(batch.encode())))) {
      hashes.add((String) result);
    }
    return hashes;
  }

  private List<String> blockTxids() throws IOException {
    String hash = blockHashes(connections.get(0), 0, 1).get(0);
    JsonArray batch = new JsonArray().add(call("getblock", new JsonArray().add(hash).add(1), 0));
    JsonObject block = (JsonObject) results(exchange(connections.get(0), post(batch.encode())))
        .get(0);
    List<String> ids = new ArrayList<>();
    block.getJsonArray("tx").forEach((Object id) -> ids.add((String) id));
    return ids;
  }

  private static List<Object> results(String reply) {
    List<Object> results = new ArrayList<>();
    for (Object item : new JsonArray(reply)) {
      JsonObject object = (JsonObject) item;
      if (object.getValue("error") != null) {
        throw new IllegalStateException("daemon error " + object.getValue("error"));
      }
      results.add(object.getValue("result"));
    }
    return results;
  }

  private static String exchange(Connection connection, byte[] request) throws IOException {
    connection.send(request);
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    connection.receive(kept);
    return kept.toString(StandardCharsets.UTF_8);
  }

  private static JsonObject call(String method, JsonArray params, int id) {
    return new JsonObject().put("jsonrpc", "1.0").put("method", method).put("params", params)
        .put("id", id);
  }

  private byte[] post(String body) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + auth
        + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + content.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(content, 0, request, head.length, content.length);
    return request;
  }

  private byte[] get(String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static void expectAtLeast(long got, long want, String what) {
    if (got < want) {
      throw new IllegalStateException(what + ": " + got + " bytes, expected at least " + want);
    }
  }

  /** One keep-alive connection, one request on it at a time. */
  private static final class Connection {

    private final SocketChannel channel;
    /** Read mode: position to limit is what was read and not yet taken. */
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024).flip();
    private final ReplyReader replies = new ReplyReader();

    Connection(int port) throws IOException {
      channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    void send(byte[] request) throws IOException {
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) {
        channel.write(out);
      }
    }

    /** Reads one reply whole; its body goes to {@code kept} when given. The body's length. */
    long receive(ByteArrayOutputStream kept) throws IOException {
      while (!replies.take(in, kept)) {
        fill();
      }
      return replies.length();
    }

    /**
     * In non-blocking mode, once the selector says the channel is readable: reads what is
     * there and drops the replies it completes.
     *
     * @return how many replies ended
     */
    int receiveReady() throws IOException {
      fill();
      int ended = 0;
      while (replies.take(in, null)) {
        ended++;
      }
      return ended;
    }

    private void fill() throws IOException {
      in.compact();
      if (channel.read(in) < 0) {
        throw new IOException("the daemon closed the connection");
      }
      in.flip();
    }
  }
}
