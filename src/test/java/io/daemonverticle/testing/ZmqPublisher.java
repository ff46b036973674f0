package io.daemonverticle.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A ZMQ publisher that speaks bitcoind's wire format (doc/zmq.md: topic, body, 4-byte
 * little-endian sequence number per topic), on 127.0.0.1, with the faults a test injects: a
 * message dropped (its number skipped), the publisher dying and coming back on its port with
 * its numbers starting again at 0. An XPUB socket, so that a test can wait for the
 * subscriptions instead of sleeping (ZMQ drops what is published before they arrive).
 */
public final class ZmqPublisher {

  private ZContext zmq;
  private ZMQ.Socket socket;
  private final int port;
  private final Map<String, Long> seqs = new HashMap<>();
  private final Set<String> subscribed = new HashSet<>();
  /** Every frame the XPUB socket gave, for the message of a wait that ran out. */
  private final List<String> heard = new ArrayList<>();

  private ZmqPublisher(int port) {
    this.port = port;
  }

  public static ZmqPublisher start() {
    ZmqPublisher publisher = new ZmqPublisher(0);
    return publisher.open();
  }

  private ZmqPublisher open() {
    zmq = new ZContext();
    socket = zmq.createSocket(SocketType.XPUB);
    socket.setLinger(0);
    socket.setReceiveTimeOut(50);
    // Every subscription, also one a subscriber sends again after a reconnection.
    socket.setXpubVerbose(true);
    // As the service's subscriber: a stalled handshake is dropped and made again in 2 s.
    socket.setHandshakeIvl(2000);
    if (port == 0) {
      // A port the system gives (free now), not one picked at random from a range that
      // other tests' connections use as their own ends.
      socket.bind("tcp://127.0.0.1:*");
      String endpoint = socket.getLastEndpoint();
      return withPort(Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
    }
    socket.bind("tcp://127.0.0.1:" + port);
    return this;
  }

  private ZmqPublisher withPort(int bound) {
    ZmqPublisher publisher = new ZmqPublisher(bound);
    publisher.zmq = zmq;
    publisher.socket = socket;
    return publisher;
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /**
   * Completes once a subscriber has subscribed to {@code hashblock} and {@code sequence}; fails
   * after 30 s (a TCP connection and a ZMTP handshake on loopback: well under a second, unless
   * the machine is starved) with every frame the socket gave.
   */
  public Future<Void> subscribed(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      long end = System.nanoTime() + 30_000_000_000L;
      while (!subscribed.containsAll(Set.of("hashblock", "sequence"))) {
        if (System.nanoTime() - end > 0) {
          throw new AssertionError("no subscriber within 30 s on " + url() + "; have "
              + subscribed + ", frames heard " + heard);
        }
        readSubscriptions();
      }
      return null;
    });
  }

  private synchronized void readSubscriptions() {
    byte[] frame = socket.recv();
    if (frame != null) {
      heard.add(HexFormat.of().formatHex(frame, 0, Math.min(frame.length, 16)));
    }
    if (frame != null && frame.length > 1 && frame[0] == 1) {
      subscribed.add(new String(frame, 1, frame.length - 1, StandardCharsets.US_ASCII));
    }
  }

  /** {@code hashblock}: the new tip's hash. */
  public synchronized void hashblock(String hash) {
    send("hashblock", HexFormat.of().parseHex(hash));
  }

  /** {@code sequence} C or D: a block connected or disconnected. */
  public synchronized void blockSequence(String hash, char label) {
    byte[] body = new byte[33];
    System.arraycopy(HexFormat.of().parseHex(hash), 0, body, 0, 32);
    body[32] = (byte) label;
    send("sequence", body);
  }

  /** {@code sequence} A: a transaction entered the mempool (nothing for the tip). */
  public synchronized void mempoolAdded(String txid, long mempoolSeq) {
    byte[] body = new byte[41];
    System.arraycopy(HexFormat.of().parseHex(txid), 0, body, 0, 32);
    body[32] = 'A';
    for (int i = 0; i < 8; i++) {
      body[33 + i] = (byte) (mempoolSeq >>> (8 * i));
    }
    send("sequence", body);
  }

  /** A message of {@code topic} lost on the way: its sequence number is used, nothing sent. */
  public synchronized void drop(String topic) {
    seqs.merge(topic, 1L, Long::sum);
  }

  /** The publisher dies: its socket closes, subscribers lose their connection. */
  public synchronized void close() {
    zmq.close();
    subscribed.clear();
  }

  /** Comes back on the same port, counting from 0 again, as a restarted bitcoind does. */
  public synchronized ZmqPublisher restart() {
    seqs.clear();
    subscribed.clear();
    open();
    return this;
  }

  private void send(String topic, byte[] body) {
    long seq = seqs.getOrDefault(topic, 0L);
    seqs.put(topic, seq + 1);
    byte[] le = {(byte) seq, (byte) (seq >>> 8), (byte) (seq >>> 16), (byte) (seq >>> 24)};
    socket.sendMore(topic);
    socket.sendMore(body);
    socket.send(le);
  }
}
