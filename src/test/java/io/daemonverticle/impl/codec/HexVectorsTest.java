package io.daemonverticle.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector decoder gives exactly what the JDK's hex parser gives, stops at the step that
 * holds any byte that is no digit, and a sink that uses it behaves, byte for byte and failure
 * for failure, as one that does not.
 */
class HexVectorsTest {

  private static final String DIGITS = "0123456789abcdefABCDEF";
  private static final byte UNTOUCHED = (byte) 0xA5;

  @Test
  void theBuildRunsTheVectorDecoder() {
    // Without the module every test below would pass through the scalar code alone.
    assertThat(HexBulk.VECTORS).as("surefire's argLine adds jdk.incubator.vector").isTrue();
    assertThat(HexVectors.STEP).isIn(16, 32);
    // The pom's vectors-128 run sets it: the narrow registers must really be the ones used.
    String expected = System.getProperty("hexvectors.step");
    if (expected != null) {
      assertThat(HexVectors.STEP).isEqualTo(Integer.parseInt(expected));
    }
  }

  @Test
  void everyByteValueInEveryPositionOfAStepIsJudgedRight() {
    int step = HexVectors.STEP;
    Random random = new Random(21);
    for (int position = 0; position < 2 * step; position++) {
      for (int b = 0; b < 256; b++) {
        byte[] hex = randomDigits(random, 2 * step);
        hex[position] = (byte) b;
        boolean digit = b < 128 && Character.digit((char) b, 16) >= 0;
        int expected = digit ? 2 * step : position < step ? 0 : step;
        byte[] out = new byte[step];
        byte[] copy = new byte[2 * step];
        assertThat(HexVectors.decode(hex, 0, hex.length, out, 0))
            .as("byte 0x%02x at %d", b, position).isEqualTo(expected);
        assertThat(HexVectors.copy(hex, 0, hex.length, copy, 0))
            .as("byte 0x%02x at %d, copied", b, position).isEqualTo(expected);
        byte[] jdk = HexFormat.of().parseHex(ascii(hex, 0, expected));
        assertThat(Arrays.copyOf(out, expected / 2)).isEqualTo(jdk);
        assertThat(Arrays.copyOf(copy, expected)).isEqualTo(Arrays.copyOf(hex, expected));
      }
    }
  }

  @Test
  void randomDigitsAtAnyOffsetDecodeAsTheJdkDoesAndNothingPastTheStepsIsWritten() {
    Random random = new Random(22);
    for (int round = 0; round < 2000; round++) {
      int from = random.nextInt(40);
      int length = random.nextInt(600);
      byte[] hex = new byte[from + length + random.nextInt(3)];
      byte[] digits = randomDigits(random, length);
      System.arraycopy(digits, 0, hex, from, length);
      int at = random.nextInt(30);
      byte[] out = new byte[at + length / 2 + 8];
      Arrays.fill(out, UNTOUCHED);

      int taken = HexVectors.decode(hex, from, from + length, out, at);

      int step = HexVectors.STEP;
      assertThat(taken).isEqualTo(length / step * step);
      assertThat(Arrays.copyOfRange(out, at, at + taken / 2))
          .isEqualTo(HexFormat.of().parseHex(ascii(hex, from, taken)));
      for (int i = 0; i < out.length; i++) {
        if (i < at || i >= at + taken / 2) {
          assertThat(out[i]).as("byte %d of the output", i).isEqualTo(UNTOUCHED);
        }
      }
    }
  }

  @Test
  void aSinkWithVectorsKeepsWhatOneWithoutKeepsAcrossSlabsAndAnyChunking() {
    Random random = new Random(23);
    for (int round = 0; round < 60; round++) {
      byte[] data = new byte[random.nextInt(round < 50 ? 5000 : 400_000)];
      random.nextBytes(data);
      String hex = mixedCase(random, HexFormat.of().formatHex(data));
      byte[] quoted = (hex + "\"").getBytes(StandardCharsets.US_ASCII);
      for (boolean text : new boolean[] {false, true}) {
        HexSink fast = new HexSink(text, true);
        HexSink plain = new HexSink(text, false);
        int[] ends = feedInChunks(random, quoted, fast, plain);
        assertThat(ends).containsExactly(quoted.length, quoted.length);
        fast.finish();
        plain.finish();
        assertThat(fast.length()).isEqualTo(plain.length());
        assertThat(fast.toBytes()).isEqualTo(plain.toBytes())
            .isEqualTo(text ? hex.getBytes(StandardCharsets.US_ASCII) : data);
      }
    }
  }

  @Test
  void aBadByteAnywhereFailsBothSinksWithTheSameText() {
    Random random = new Random(24);
    for (int round = 0; round < 300; round++) {
      byte[] hex = randomDigits(random, 2 + 2 * random.nextInt(3000));
      int bad = random.nextInt(hex.length);
      hex[bad] = (byte) "gG \\\u0000\u00ff:/@`".charAt(random.nextInt(10));
      for (boolean text : new boolean[] {false, true}) {
        Throwable fast = catchThrowable(() -> new HexSink(text, true).feed(hex, 0, hex.length));
        Throwable plain = catchThrowable(() -> new HexSink(text, false).feed(hex, 0, hex.length));
        assertThat(fast).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("after " + bad + " digits")
            .hasMessage(plain.getMessage());
      }
    }
  }

  @Test
  void anOddNumberOfDigitsIsRefusedWithVectors() {
    byte[] hex = (HexFormat.of().formatHex(new byte[40]) + "0\"")
        .getBytes(StandardCharsets.US_ASCII);
    HexSink sink = new HexSink(false, true);
    assertThat(sink.feed(hex, 0, hex.length)).isEqualTo(hex.length);
    assertThatThrownBy(sink::finish).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("odd number of digits (81)");
  }

  /** Feeds both sinks the same random chunks; their end positions (-1 when not ended). */
  private static int[] feedInChunks(Random random, byte[] quoted, HexSink a, HexSink b) {
    int endA = -1;
    int endB = -1;
    for (int pos = 0; pos < quoted.length; ) {
      int n = Math.min(quoted.length - pos, 1 + random.nextInt(random.nextBoolean() ? 70 : 70_000));
      int ea = a.feed(quoted, pos, pos + n);
      int eb = b.feed(quoted, pos, pos + n);
      endA = ea >= 0 ? ea : endA;
      endB = eb >= 0 ? eb : endB;
      pos += n;
    }
    return new int[] {endA, endB};
  }

  private static byte[] randomDigits(Random random, int length) {
    byte[] hex = new byte[length];
    for (int i = 0; i < length; i++) {
      hex[i] = (byte) DIGITS.charAt(random.nextInt(DIGITS.length()));
    }
    return hex;
  }

  private static String mixedCase(Random random, String hex) {
    char[] chars = hex.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (random.nextInt(4) == 0) {
        chars[i] = Character.toUpperCase(chars[i]);
      }
    }
    return new String(chars);
  }

  private static String ascii(byte[] bytes, int from, int length) {
    return new String(bytes, from, length, StandardCharsets.US_ASCII);
  }
}
