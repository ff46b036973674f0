package io.daemonverticle.impl.service;

import io.daemonverticle.impl.cluster.TipEvent;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * The tip's ZMQ source: subscribes to the daemon's {@code hashblock} and {@code sequence}
 * notifications (see {@link ZmqMessage}) on a thread of its own (JeroMQ's sockets block) and
 * hands what it hears to the tip follower on the service's context. ZMQ drops what is
 * published while a subscriber is away or behind, so the follower is told to read the tip now
 * ("resync") whenever that may have happened: when the connection is made (again), and when
 * a topic's sequence number is not the last one plus one. A {@code hashblock} or a
 * {@code sequence} C names the new tip; a D (a block disconnected) has the tip read.
 */
final class ZmqTip implements TipSources.PushSource {

  /** How often the receiving thread looks whether it was stopped. */
  static final int RECEIVE_TIMEOUT_MS = 100;
  /**
   * Longest a ZMTP handshake may take before the connection is dropped and made again. One
   * takes milliseconds on a LAN; JeroMQ's default (30 s) let a stalled one (seen under load:
   * connected, then nothing) keep the push away for 30 s.
   */
  static final int HANDSHAKE_MS = 2000;
  private static final Logger LOG = LoggerFactory.getLogger(ZmqTip.class);
  private static final AtomicLong MONITORS = new AtomicLong();

  private final Context context;
  private final String url;
  private final TipFollower follower;
  private final long reconnectMaxMs;
  private volatile Thread thread;
  private volatile boolean running;

  /** @param reconnectMaxMs the longest wait between two reconnection attempts */
  ZmqTip(Context context, String url, TipFollower follower, long reconnectMaxMs) {
    this.context = context;
    this.url = url;
    this.follower = follower;
    this.reconnectMaxMs = reconnectMaxMs;
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    running = true;
    Thread receiver = new Thread(this::receive, "dv-zmq-tip");
    receiver.setDaemon(true);
    thread = receiver;
    receiver.start();
  }

  /** Returns at once: the thread ends within {@link #RECEIVE_TIMEOUT_MS} and closes it all. */
  @Override
  public void stop() {
    running = false;
  }

  private void receive() {
    Thread self = Thread.currentThread();
    String monitorUrl = "inproc://dv-zmq-tip-monitor-" + MONITORS.incrementAndGet();
    try (ZContext zmq = new ZContext()) {
      ZMQ.Socket sub = zmq.createSocket(SocketType.SUB);
      sub.setLinger(0);
      sub.setReceiveTimeOut(RECEIVE_TIMEOUT_MS);
      sub.setReconnectIVL(100);
      sub.setReconnectIVLMax(reconnectMaxMs);
      sub.setHandshakeIvl(HANDSHAKE_MS);
      sub.monitor(monitorUrl, ZMQ.EVENT_CONNECTED | ZMQ.EVENT_DISCONNECTED);
      ZMQ.Socket monitor = zmq.createSocket(SocketType.PAIR);
      monitor.setLinger(0);
      monitor.connect(monitorUrl);
      sub.subscribe(ZmqMessage.HASHBLOCK);
      sub.subscribe(ZmqMessage.SEQUENCE);
      sub.connect(url);
      LOG.info("tip followed over ZMQ at {}", url);
      Map<String, Long> lastSeq = new HashMap<>();
      while (running && thread == self) {
        watchConnection(monitor, lastSeq);
        ZMsg msg = ZMsg.recvMsg(sub);
        if (msg != null) {
          heard(msg, lastSeq);
        }
      }
      // Said, so that a log shows when the push stopped (this node stopped leading, or the
      // service stopped) and the tip came from the poll alone.
      LOG.info("tip no longer followed over ZMQ at {}", url);
    } catch (RuntimeException e) {
      // The context closed under us, or JeroMQ failed: the poll goes on; a later lead retries.
      LOG.warn("tip ZMQ subscriber at {} stopped: {}", url, e.toString());
      running = false;
    }
  }

  /** A connection made (again): what was published meanwhile is lost, so read the tip. */
  private void watchConnection(ZMQ.Socket monitor, Map<String, Long> lastSeq) {
    ZMQ.Event event;
    while ((event = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT)) != null) {
      if (event.getEvent() == ZMQ.EVENT_DISCONNECTED) {
        LOG.info("tip ZMQ subscriber lost its connection to {}: reconnecting", url);
      } else if (event.getEvent() == ZMQ.EVENT_CONNECTED) {
        LOG.info("tip ZMQ subscriber connected to {}", url);
        lastSeq.clear();
        resync();
      }
    }
  }

  private void heard(ZMsg msg, Map<String, Long> lastSeq) {
    List<byte[]> frames = new ArrayList<>(msg.size());
    for (ZFrame frame : msg) {
      frames.add(frame.getData());
    }
    ZmqMessage message;
    try {
      message = ZmqMessage.parse(frames);
    } catch (IllegalArgumentException e) {
      LOG.debug("not a ZMQ notification: {}", e.getMessage());
      return;
    }
    Long last = lastSeq.put(message.topic(), message.seq());
    boolean gap = last != null && message.seq() != ((last + 1) & 0xffffffffL);
    String hash = message.blockHash();
    if (gap) {
      LOG.debug("ZMQ {} went from {} to {}: notifications lost, reading the tip",
          message.topic(), last, message.seq());
      resync();
    } else if (hash != null && !message.disconnected()) {
      context.runOnContext(v -> follower.sawHash(hash, TipEvent.ZMQ).onFailure(e ->
          LOG.debug("tip {} from ZMQ not followed: {}", hash, e.getMessage())));
    } else if (message.disconnected()) {
      resync();
    }
  }

  private void resync() {
    context.runOnContext(v -> follower.poll(TipEvent.ZMQ).onFailure(e ->
        LOG.debug("tip not read after ZMQ said to: {}", e.getMessage())));
  }
}
