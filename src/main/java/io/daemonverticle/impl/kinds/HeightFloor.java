package io.daemonverticle.impl.kinds;

/**
 * Keeps the height answered from going down because the service changed URL: a height lower
 * than the best one answered so far is passed on only when the URL that gave the best tells
 * it (a reorg, or a rewind, on the chain being served); told by another URL it is that URL's
 * lag, and the best height is answered instead until that URL catches up. Runs on the
 * verticle's event loop.
 */
final class HeightFloor {

  private int best = -1;
  private int bestFrom = -1;

  /**
   * The height to answer when the URL at index {@code from} (in configured order; -1:
   * unknown) told {@code told}.
   */
  int answer(int told, int from) {
    if (best < 0 || told >= best || from == bestFrom || from < 0) {
      best = told;
      bestFrom = from;
      return told;
    }
    return best;
  }
}
