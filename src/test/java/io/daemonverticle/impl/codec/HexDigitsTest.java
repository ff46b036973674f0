package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The 8-at-a-time hex check and conversion agree with the JDK's on every input. */
class HexDigitsTest {

  private static final String DIGITS = "0123456789abcdefABCDEF";

  @Test
  void everyByteValueInEveryPositionIsJudgedRight() {
    byte[] eight = "0a1B2c3D".getBytes(StandardCharsets.US_ASCII);
    for (int position = 0; position < 8; position++) {
      for (int b = 0; b < 256; b++) {
        byte[] bytes = eight.clone();
        bytes[position] = (byte) b;
        boolean hex = Character.digit((char) b, 16) >= 0 && b < 128;
        assertThat(HexDigits.allHex(HexDigits.read8(bytes, 0))).as("byte 0x%02x at %d", b,
            position).isEqualTo(hex);
        assertThat(HexDigits.nibble((byte) b) >= 0).isEqualTo(hex);
      }
    }
  }

  @Test
  void randomDigitsConvertAsTheJdkDoes() {
    Random random = new Random(8);
    byte[] bytes = new byte[8];
    byte[] out = new byte[4];
    for (int i = 0; i < 200_000; i++) {
      for (int k = 0; k < 8; k++) {
        bytes[k] = (byte) DIGITS.charAt(random.nextInt(DIGITS.length()));
      }
      long v = HexDigits.read8(bytes, 0);
      assertThat(HexDigits.allHex(v)).isTrue();
      HexDigits.write4(out, 0, HexDigits.pack(v));
      assertThat(out).isEqualTo(HexFormat.of().parseHex(
          new String(bytes, StandardCharsets.US_ASCII)));
    }
  }

  @Test
  void aSinkDecodesAcrossAnyBoundaryAndKeepsText() {
    Random random = new Random(9);
    for (int round = 0; round < 200; round++) {
      byte[] data = new byte[random.nextInt(3000)];
      random.nextBytes(data);
      String hex = HexFormat.of().formatHex(data);
      byte[] quoted = (hex + "\"").getBytes(StandardCharsets.US_ASCII);
      HexSink decoded = new HexSink(false);
      HexSink text = new HexSink(true);
      int end = -1;
      int endText = -1;
      for (int pos = 0; pos < quoted.length; ) {
        int n = Math.min(quoted.length - pos, 1 + random.nextInt(40));
        int a = decoded.feed(quoted, pos, pos + n);
        int b = text.feed(quoted, pos, pos + n);
        end = a >= 0 ? a : end;
        endText = b >= 0 ? b : endText;
        pos += n;
      }
      decoded.finish();
      text.finish();
      assertThat(end).isEqualTo(quoted.length);
      assertThat(endText).isEqualTo(quoted.length);
      assertThat(decoded.toBytes()).isEqualTo(data);
      assertThat(text.text()).isEqualTo(hex);
    }
  }
}
