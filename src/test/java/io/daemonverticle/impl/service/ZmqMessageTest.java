package io.daemonverticle.impl.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bitcoind's ZMQ frames as doc/zmq.md gives them. */
class ZmqMessageTest {

  private static final String HASH =
      "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void theSequenceNumberIsFourBytesLittleEndian() {
    ZmqMessage m = ZmqMessage.parse(List.of(ascii("hashblock"), HexFormat.of().parseHex(HASH),
        new byte[] {1, 2, 0, (byte) 0x80}));
    assertThat(m.seq()).isEqualTo(0x80000201L);
    assertThat(m.blockHash()).isEqualTo(HASH);
    assertThat(m.disconnected()).isFalse();
  }

  @Test
  void sequenceNamesBlocksConnectedAndDisconnectedOnly() {
    byte[] hash = HexFormat.of().parseHex(HASH);
    byte[] connected = java.util.Arrays.copyOf(hash, 33);
    connected[32] = 'C';
    byte[] disconnected = connected.clone();
    disconnected[32] = 'D';
    byte[] added = java.util.Arrays.copyOf(hash, 41);
    added[32] = 'A';
    byte[] seq = {0, 0, 0, 0};
    assertThat(ZmqMessage.parse(List.of(ascii("sequence"), connected, seq)).blockHash())
        .isEqualTo(HASH);
    ZmqMessage d = ZmqMessage.parse(List.of(ascii("sequence"), disconnected, seq));
    assertThat(d.blockHash()).isEqualTo(HASH);
    assertThat(d.disconnected()).isTrue();
    assertThat(ZmqMessage.parse(List.of(ascii("sequence"), added, seq)).blockHash()).isNull();
  }

  @Test
  void otherFramesAreRefused() {
    assertThatThrownBy(() -> ZmqMessage.parse(List.of(ascii("hashblock"), new byte[32])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZmqMessage.parse(List.of(ascii("hashblock"), new byte[32],
        new byte[8]))).isInstanceOf(IllegalArgumentException.class);
    assertThat(ZmqMessage.parse(List.of(ascii("hashblock"), new byte[31], new byte[4]))
        .blockHash()).isNull();
  }
}
