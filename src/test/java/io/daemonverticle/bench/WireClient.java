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
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The second transport-limit client of scripts/bench, beside {@code wire-client.js}: the same
 * commands and requests, on blocking NIO sockets, each reply's body read into one direct buffer
 * and dropped. The Node client turned out slower at taking in large replies than the service
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
 * wire-client.js; "10 in flight" (REST blocks, height) is 10 connections, each sent its request
 * before any reply is read.
 */
public final class WireClient {

  static final String SUFFIX = ".java";
  private static final int BLOCK_BATCH = 10;
  private static final int TX_BATCH = 100;
  private static final int IN_FLIGHT = 10;
  private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

  private final int port;
  private final int blockBytes;
  private final String auth;
  private final List<Connection> connections = new ArrayList<>();
  private List<String> txids;

  private WireClient(int port, int blockBytes) throws IOException {
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

  private JsonObject command(String line) throws IOException {
    String[] parts = line.split("\\s+");
    int count = Integer.parseInt(parts[1]);
    if (parts[0].equals("txs") && txids == null) {
      txids = blockTxids();
    }
    long start = System.nanoTime();
    long units = switch (parts[0]) {
      case "rpc-blocks" -> rpcBlocks(count);
      case "rest-blocks" -> restBlocks(count);
      case "txs" -> txs(count);
      case "height" -> height(count);
      default -> throw new IllegalArgumentException("unknown mode " + parts[0]
          + ": one of rpc-blocks, rest-blocks, txs, height");
    };
    double seconds = (System.nanoTime() - start) / 1e9;
    return new JsonObject().put("mode", parts[0] + SUFFIX).put("count", count)
        .put("seconds", seconds).put("units", units);
  }

  private long rpcBlocks(int count) throws IOException {
    Connection connection = connections.get(0);
    for (int first = 0; first < count; first += BLOCK_BATCH) {
      List<String> hashes = blockHashes(first, Math.min(BLOCK_BATCH, count - first));
      JsonArray batch = new JsonArray();
      for (int i = 0; i < hashes.size(); i++) {
        batch.add(call("getblock", new JsonArray().add(hashes.get(i)).add(false), i));
      }
      connection.send(post(batch.encode()));
      expectAtLeast(connection.receive(null), 2L * blockBytes * hashes.size(), "getblock batch");
    }
    return (long) count * blockBytes;
  }

  private long restBlocks(int count) throws IOException {
    for (int first = 0; first < count; first += BLOCK_BATCH) {
      List<String> hashes = blockHashes(first, Math.min(BLOCK_BATCH, count - first));
      for (int i = 0; i < hashes.size(); i++) {
        connections.get(i).send(get("/rest/block/" + hashes.get(i) + ".bin"));
      }
      for (int i = 0; i < hashes.size(); i++) {
        expectAtLeast(connections.get(i).receive(null), blockBytes, "REST block");
      }
    }
    return (long) count * blockBytes;
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
    for (int done = 0; done < count; done += IN_FLIGHT) {
      int n = Math.min(IN_FLIGHT, count - done);
      for (int i = 0; i < n; i++) {
        connections.get(i).send(request);
      }
      for (int i = 0; i < n; i++) {
        connections.get(i).receive(null);
      }
    }
    return count;
  }

  private List<String> blockHashes(int first, int n) throws IOException {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < n; i++) {
      batch.add(call("getblockhash", new JsonArray().add(first + i), i));
    }
    List<String> hashes = new ArrayList<>(n);
    for (Object result : results(exchange(post(batch.encode())))) {
      hashes.add((String) result);
    }
    return hashes;
  }

  private List<String> blockTxids() throws IOException {
    String hash = blockHashes(0, 1).get(0);
    JsonArray batch = new JsonArray().add(call("getblock", new JsonArray().add(hash).add(1), 0));
    JsonObject block = (JsonObject) results(exchange(post(batch.encode()))).get(0);
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

  private String exchange(byte[] request) throws IOException {
    Connection connection = connections.get(0);
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

  /** One keep-alive connection; the fake daemon always answers with a Content-Length. */
  private static final class Connection {

    private final SocketChannel channel;
    /** Read mode: position to limit is what was read and not yet taken. */
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024).flip();

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
      String head = head();
      if (!head.startsWith("HTTP/1.1 200")) {
        throw new IllegalStateException("the daemon answered " + head.lines().findFirst()
            .orElse(""));
      }
      long length = -1;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
        }
      }
      if (length < 0) {
        throw new IllegalStateException("a reply without Content-Length: " + head);
      }
      for (long left = length; left > 0; ) {
        if (!in.hasRemaining()) {
          fill();
        }
        int take = (int) Math.min(left, in.remaining());
        if (kept != null) {
          byte[] bytes = new byte[take];
          in.get(bytes);
          kept.write(bytes);
        } else {
          in.position(in.position() + take);
        }
        left -= take;
      }
      return length;
    }

    private String head() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < HEADERS_END.length) {
        if (!in.hasRemaining()) {
          fill();
        }
        byte b = in.get();
        head.write(b);
        matched = b == HEADERS_END[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.US_ASCII);
    }

    private void fill() throws IOException {
      in.clear();
      if (channel.read(in) < 0) {
        throw new IOException("the daemon closed the connection");
      }
      in.flip();
    }
  }
}
