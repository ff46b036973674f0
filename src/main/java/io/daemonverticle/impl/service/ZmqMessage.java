package io.daemonverticle.impl.service;

import java.util.HexFormat;
import java.util.List;

/**
 * One notification of bitcoind's ZMQ publisher, as its doc/zmq.md gives the wire format:
 * three frames, the topic, the body and a 4-byte little-endian sequence number counted per
 * topic. The tip needs two topics: {@code hashblock} (the body is the new tip's 32-byte hash,
 * in the order RPC shows it) and {@code sequence} (the body is a 32-byte hash and a label:
 * {@code C} block connected, {@code D} disconnected, {@code A}/{@code R} a mempool
 * transaction added or removed, then its 8-byte mempool sequence).
 */
record ZmqMessage(String topic, byte[] body, long seq) {

  static final String HASHBLOCK = "hashblock";
  static final String SEQUENCE = "sequence";

  /** @throws IllegalArgumentException for frames that are no such notification */
  static ZmqMessage parse(List<byte[]> frames) {
    if (frames.size() != 3 || frames.get(2).length != 4) {
      throw new IllegalArgumentException("a ZMQ notification is three frames, the last 4 "
          + "bytes; got " + frames.size() + " frames");
    }
    byte[] s = frames.get(2);
    long seq = (s[0] & 0xffL) | (s[1] & 0xffL) << 8 | (s[2] & 0xffL) << 16
        | (s[3] & 0xffL) << 24;
    return new ZmqMessage(new String(frames.get(0), java.nio.charset.StandardCharsets.US_ASCII),
        frames.get(1), seq);
  }

  /** The block hash a {@code hashblock}, or a {@code sequence} C or D, carries; else null. */
  String blockHash() {
    if (HASHBLOCK.equals(topic) && body.length == 32) {
      return HexFormat.of().formatHex(body);
    }
    if (SEQUENCE.equals(topic) && body.length == 33 && (body[32] == 'C' || body[32] == 'D')) {
      return HexFormat.of().formatHex(body, 0, 32);
    }
    return null;
  }

  /** Whether a block was disconnected ({@code sequence} D): the new tip is not its hash. */
  boolean disconnected() {
    return SEQUENCE.equals(topic) && body.length == 33 && body[32] == 'D';
  }
}
