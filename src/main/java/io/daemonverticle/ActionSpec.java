package io.daemonverticle;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The declaration of one action of the contract: its name, its parameters, what it answers,
 * and which daemon kinds serve it. Every part of the service that needs to know an action
 * reads it from here ({@link Actions#SPECS}): the request checks, {@link DaemonClient}, the
 * HTTP front (broadcast guard, content type, reply codec), the meters and the contract's
 * action table.
 */
public final class ActionSpec {

  /** What an action answers. */
  public enum Reply {
    /** A JSON number. */
    NUMBER,
    /** A JSON number, or null. */
    NUMBER_OR_NULL,
    /** A JSON string. */
    STRING,
    /** A JSON object. */
    JSON_OBJECT,
    /** A JSON array. */
    JSON_ARRAY,
    /** Whatever JSON the daemon's result is (or a choice of shapes the action says). */
    JSON,
    /** Bytes: a {@code Buffer} of frames as {@link BlockFrames} reads them. */
    FRAMES
  }

  private final String name;
  private final List<ActionParam<?>> params;
  private final Reply reply;
  private final String replyText;
  private final String electrumx;
  private final boolean broadcast;
  private final Set<DaemonKind> kinds;

  private ActionSpec(Builder b) {
    this.name = b.name;
    this.params = List.copyOf(b.params);
    this.reply = b.reply;
    this.replyText = b.replyText;
    this.electrumx = b.electrumx;
    this.broadcast = b.broadcast;
    this.kinds = Collections.unmodifiableSet(EnumSet.copyOf(b.kinds));
  }

  static Builder action(String name) {
    return new Builder(name);
  }

  /**
   * The name sent in the {@value Actions#HEADER} header.
   *
   * @return the action's name
   */
  public String name() {
    return name;
  }

  /**
   * The named parameters of its body, in the order they are checked.
   *
   * @return the parameters; empty when the action takes none
   */
  public List<ActionParam<?>> params() {
    return params;
  }

  /**
   * What it answers.
   *
   * @return the reply's type
   */
  public Reply reply() {
    return reply;
  }

  /**
   * What the contract's table says of the reply.
   *
   * @return one line of prose
   */
  public String replyText() {
    return replyText;
  }

  /**
   * The ElectrumX call it ports, or what it is where ElectrumX has none.
   *
   * @return one line of prose
   */
  public String electrumx() {
    return electrumx;
  }

  /**
   * Whether the reply is bytes (a {@code Buffer}) rather than JSON.
   *
   * @return true for {@link Reply#FRAMES}
   */
  public boolean binaryReply() {
    return reply == Reply.FRAMES;
  }

  /**
   * Whether it sends something to the network (a transaction, a masternode announcement):
   * not idempotent, and forwarded by the HTTP front only when {@code httpAllowBroadcast} is on.
   *
   * @return true for a broadcast
   */
  public boolean broadcast() {
    return broadcast;
  }

  /**
   * Whether it only reads: asking twice does no harm.
   *
   * @return true unless it is a broadcast
   */
  public boolean readOnly() {
    return !broadcast;
  }

  /**
   * The daemon kinds that serve it; any other kind answers it 404.
   *
   * @return the kinds
   */
  public Set<DaemonKind> kinds() {
    return kinds;
  }

  /**
   * Whether a daemon kind serves it.
   *
   * @param kind the configured kind
   * @return true when the kind serves the action
   */
  public boolean servedBy(DaemonKind kind) {
    return kinds.contains(kind);
  }

  /**
   * How the contract's table shows the body: the parameters, or a dash when there are none.
   *
   * @return e.g. {@code txid, verbose (default false)}
   */
  public String describeBody() {
    if (params.isEmpty()) {
      return "–";
    }
    StringBuilder text = new StringBuilder();
    for (ActionParam<?> param : params) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(param.describe());
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return name;
  }

  /** Declares one action; used by {@link Actions} only. */
  static final class Builder {
    private final String name;
    private List<ActionParam<?>> params = List.of();
    private Reply reply = Reply.JSON;
    private String replyText = "";
    private String electrumx = "(new)";
    private boolean broadcast;
    private Set<DaemonKind> kinds = EnumSet.allOf(DaemonKind.class);

    private Builder(String name) {
      this.name = name;
    }

    Builder params(ActionParam<?>... params) {
      this.params = List.of(params);
      return this;
    }

    Builder reply(Reply reply, String text) {
      this.reply = reply;
      this.replyText = text;
      return this;
    }

    Builder electrumx(String electrumx) {
      this.electrumx = electrumx;
      return this;
    }

    Builder broadcast() {
      this.broadcast = true;
      return this;
    }

    Builder kinds(DaemonKind first, DaemonKind... rest) {
      this.kinds = EnumSet.of(first, rest);
      return this;
    }

    ActionSpec build() {
      return new ActionSpec(this);
    }
  }
}
