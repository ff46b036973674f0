package io.daemonverticle.impl.codec;

import java.util.Objects;

/**
 * Strips the MTP proof-of-work data from Zcoin blocks, as ElectrumX's ZcoinMtpDaemon does.
 *
 * <p>An MTP block header carries about 194 KiB of proof data after a 100-byte extension of the
 * usual 80-byte header. The index only needs the 180 bytes before it and the transactions after
 * it, and storing the proof for every block would dwarf everything else.
 */
public final class ZcoinMtp {

  /** Header version bit that marks a block mined with MTP. */
  public static final int MTP_VERSION_BIT = 0x1000;
  public static final int BASIC_HEADER_SIZE = 80;
  public static final int MTP_HEADER_EXTRA_SIZE = 100;
  public static final int MTP_HEADER_DATA_SIZE = 198_864;
  public static final int MTP_HEADER_DATA_START = BASIC_HEADER_SIZE + MTP_HEADER_EXTRA_SIZE;
  public static final int MTP_HEADER_DATA_END = MTP_HEADER_DATA_START + MTP_HEADER_DATA_SIZE;

  private ZcoinMtp() {
  }

  /** Whether the header version (uint32 LE at offset 0) has {@link #MTP_VERSION_BIT} set. */
  public static boolean isMtp(byte[] blockOrHeader) {
    Objects.requireNonNull(blockOrHeader, "block");
    if (blockOrHeader.length < 4) {
      throw new IllegalArgumentException(
          "Zcoin block of " + blockOrHeader.length + " bytes is too short to hold a version");
    }
    return (new ByteCursor(blockOrHeader).u32le() & MTP_VERSION_BIT) != 0;
  }

  /**
   * Returns an MTP block without bytes [{@value #MTP_HEADER_DATA_START},
   * {@value #MTP_HEADER_DATA_END}); any other block is returned as is (the same array).
   */
  public static byte[] stripMtpData(byte[] block) {
    if (!isMtp(block)) {
      return block;
    }
    if (block.length < MTP_HEADER_DATA_END) {
      throw new IllegalArgumentException(
          "Zcoin MTP block of " + block.length + " bytes is shorter than its "
              + MTP_HEADER_DATA_END + "-byte header");
    }
    byte[] stripped = new byte[block.length - MTP_HEADER_DATA_SIZE];
    System.arraycopy(block, 0, stripped, 0, MTP_HEADER_DATA_START);
    System.arraycopy(
        block, MTP_HEADER_DATA_END,
        stripped, MTP_HEADER_DATA_START,
        block.length - MTP_HEADER_DATA_END);
    return stripped;
  }
}
