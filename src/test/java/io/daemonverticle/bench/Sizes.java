package io.daemonverticle.bench;

import java.util.Set;

/**
 * How much one benchmark run moves, the same for the fake daemon, the wire client and the
 * event-bus consumer.
 *
 * @param runs       timed runs of each measurement, after the untimed ones
 * @param warmSeconds untimed passes each program makes of a measurement before the timed runs:
 *                   at least one, and as many as it takes to spend this long
 * @param blocks     blocks fetched per run, 10 a request
 * @param blockBytes size of every block
 * @param txBytes    size of every transaction
 * @param txs        transactions fetched per run, 100 a request
 * @param calls      height calls per run, 10 in flight
 */
record Sizes(int runs, int warmSeconds, int blocks, int blockBytes, int txBytes, int txs,
             int calls) {

  /**
   * Runs of about a second each on the 2-core bench machine: with a fifth of these (0.1-0.2 s
   * a run) the same tree's REST figure went from 490 to 1510 MB/s between runs. The warm-up:
   * the service's JIT needs some 250,000 height calls before its rate stops rising (19,000
   * calls/s over the first 150,000, 37,000 over the next 100,000, then 42,000), and one untimed
   * pass of 10,000 left the timed runs inside that climb.
   */
  static final Sizes FULL = new Sizes(5, 8, 1000, 1_000_000, 250, 200_000, 30_000);
  static final Sizes QUICK = new Sizes(3, 0, 50, 1_000_000, 250, 5_000, 500);
  static final Set<String> OPTIONS = Set.of("runs", "warm", "blocks", "block-bytes", "tx-bytes",
      "txs", "calls");

  /** The options given, the defaults for the rest. */
  static Sizes from(Args args, Sizes defaults) {
    return new Sizes(args.positive("runs", defaults.runs),
        args.natural("warm", defaults.warmSeconds),
        args.positive("blocks", defaults.blocks),
        args.positive("block-bytes", defaults.blockBytes),
        args.positive("tx-bytes", defaults.txBytes),
        args.positive("txs", defaults.txs),
        args.positive("calls", defaults.calls));
  }
}
