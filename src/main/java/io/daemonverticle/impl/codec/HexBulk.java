package io.daemonverticle.impl.codec;

/**
 * Chooses, once per JVM, whether the bulk of a hex string goes through {@link HexVectors}: only
 * when the JVM has the Vector API ({@code --add-modules jdk.incubator.vector}, which the
 * project's scripts and the build pass) and the machine has registers for it. Otherwise every
 * digit goes through the SWAR code of {@link HexDigits}, which is correct everywhere, and
 * {@link HexVectors} is never loaded (a JVM without the module could not link it).
 */
public final class HexBulk {

  /** Whether the vector decoder is in use in this JVM (the start log says which). */
  public static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector")
      .isPresent() && HexVectors.worthwhile();

  private HexBulk() {
  }

  /** Digits one vector step takes: below this many nothing is done in bulk. */
  static int step() {
    return VECTORS ? HexVectors.STEP : Integer.MAX_VALUE;
  }

  /** See {@link HexVectors#decode}; nothing (0) without vectors. */
  static int decode(byte[] hex, int from, int to, byte[] out, int at) {
    return VECTORS ? HexVectors.decode(hex, from, to, out, at) : 0;
  }

  /** See {@link HexVectors#copy}; nothing (0) without vectors. */
  static int copy(byte[] hex, int from, int to, byte[] out, int at) {
    return VECTORS ? HexVectors.copy(hex, from, to, out, at) : 0;
  }
}
