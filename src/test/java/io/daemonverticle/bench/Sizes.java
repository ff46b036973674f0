package io.daemonverticle.bench;

import java.util.Set;

/**
 * How much one benchmark run moves, the same for the fake daemon, the wire client and the
 * event-bus consumer.
 *
 * @param runs       timed runs of each measurement, after one untimed pass
 * @param blocks     blocks fetched per run, 10 a request
 * @param blockBytes size of every block
 * @param txBytes    size of every transaction
 * @param txs        transactions fetched per run, 100 a request
 * @param calls      height calls per run, 10 in flight
 */
record Sizes(int runs, int blocks, int blockBytes, int txBytes, int txs, int calls) {

  /**
   * Runs of about a second each on the 2-core bench machine: with a fifth of these (0.1-0.2 s
   * a run) the same tree's REST figure went from 490 to 1510 MB/s between runs.
   */
  static final Sizes FULL = new Sizes(5, 1000, 1_000_000, 250, 100_000, 10_000);
  static final Sizes QUICK = new Sizes(3, 50, 1_000_000, 250, 5_000, 500);
  static final Set<String> OPTIONS = Set.of("runs", "blocks", "block-bytes", "tx-bytes", "txs",
      "calls");

  /** The options given, the defaults for the rest. */
  static Sizes from(Args args, Sizes defaults) {
    return new Sizes(args.positive("runs", defaults.runs),
        args.positive("blocks", defaults.blocks),
        args.positive("block-bytes", defaults.blockBytes),
        args.positive("tx-bytes", defaults.txBytes),
        args.positive("txs", defaults.txs),
        args.positive("calls", defaults.calls));
  }
}
