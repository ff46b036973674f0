package io.daemonverticle.impl.blocks;

import io.daemonverticle.impl.transport.TransientFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.daemonverticle.DaemonRpcException;
import io.daemonverticle.impl.codec.Vectors;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reader of hex batch replies is exact: every block comes back byte for byte
 * whatever the chunk boundaries, id order, letter case and whitespace; every malformed reply
 * is a {@link TransientFailure} (never a wrong block, never another exception).
 */
class HexBatchScannerTest {

  private static final long FIRST_ID = 1000;
  private static final HexFormat HEX = HexFormat.of();
  /** Two well-formed items, ids 1000 and 1001: the malformed replies are made from it. */
  private static final String TWO_ITEMS = "[{\"result\":\"00ff\",\"error\":null,\"id\":1000},"
      + "{\"result\":\"0102\",\"error\":null,\"id\":1001}]";

  @Test
  void everyVectorComesBackByteForByteWhateverTheChunks() {
    List<byte[]> blocks = new ArrayList<>();
    for (String name : Vectors.names("")) {
      blocks.add(Vectors.block(Vectors.load(name)));
    }
    Random random = new Random(13);
    for (int round = 0; round < 20; round++) {
      assertExact(blocks, random, round % 2 == 0);
    }
  }

  @Test
  void randomBlocksOfEverySizeComeBackByteForByte() {
    Random random = new Random(42);
    List<byte[]> blocks = new ArrayList<>();
    for (int size : new int[] {0, 1, 80, 4_000_000, 0, 1, 80}) {
      byte[] block = new byte[size];
      random.nextBytes(block);
      blocks.add(block);
    }
    for (int round = 0; round < 3; round++) {
      assertExact(blocks, random, round == 1);
    }
  }

  @Test
  void aBlockOf32MegabytesComesBackByteForByte() {
    Random random = new Random(32);
    byte[] block = new byte[32_000_000];
    random.nextBytes(block);
    assertExact(List.of(block), random, false);
  }

  @Test
  void textModeKeepsTheHexAsItCame() {
    String hex = "00ffABcd" + "0123456789abcdef".repeat(3);
    byte[] reply = ("[{\"result\":\"" + hex + "\",\"error\":null,\"id\":1000}]")
        .getBytes(StandardCharsets.US_ASCII);
    HexBatchScanner scanner = new HexBatchScanner(FIRST_ID, 1, true, "test");
    feedInRandomChunks(scanner, reply, new Random(1));
    assertThat(scanner.end()[0].hex().text()).isEqualTo(hex);
  }

  @Test
  void anItemErrorIsTheDaemonsAnswerAndOtherResultsAreKept() {
    String reply = "[{\"result\":null,\"error\":{\"code\":-5,\"message\":\"Block not found\"},"
        + "\"id\":1001},{\"id\":1000,\"result\":\"00ff\",\"error\":null}]";
    HexBatchScanner scanner = scanner(2);
    feedInRandomChunks(scanner, reply.getBytes(StandardCharsets.US_ASCII), new Random(2));
    HexItem[] items = scanner.end();
    assertThat(items[0].hex().toBytes()).containsExactly(0x00, 0xff);
    assertThat(items[1].failed()).isTrue();
    assertThat(items[1].error().getInteger("code")).isEqualTo(-5);
  }

  @Test
  void aWarmingUpItemOrAWholeBatchErrorIsTransient() {
    assertTransient(2, "[{\"result\":null,\"error\":{\"code\":-28,\"message\":\"Loading\"},"
        + "\"id\":1000},{\"result\":\"00\",\"error\":null,\"id\":1001}]", "warming up");
    assertTransient(2, "{\"result\":null,\"error\":{\"code\":-32700,\"message\":\"Parse "
        + "error\"},\"id\":null}", "parse error");
    // A whole-batch error that is neither is the daemon's answer (422).
    HexBatchScanner scanner = scanner(1);
    byte[] reply = ("{\"result\":null,\"error\":{\"code\":-1,\"message\":\"no\"},"
        + "\"id\":null}").getBytes(StandardCharsets.US_ASCII);
    Throwable thrown = catchThrowable(() -> scanner.feed(reply, 0, reply.length));
    assertThat(thrown).isInstanceOf(DaemonRpcException.class);
  }

  @Test
  void idsAndNullErrorsReadWithoutTheParserAgreeWithIt() {
    // Ids across int's end and past the 18 digits read without Jackson, and a null error, in
    // both key orders: every item is matched and kept.
    for (long first : new long[] {0, 9, 2_147_483_647L, 999_999_999_999_999_998L,
        Long.MAX_VALUE - 1}) {
      String reply = "[{\"result\":\"00\",\"error\":null,\"id\":" + first + "},"
          + "{\"id\" : " + (first + 1) + " ,\"error\" : null ,\"result\":\"01\"}]";
      HexBatchScanner scanner = new HexBatchScanner(first, 2, false, "test");
      feedInRandomChunks(scanner, reply.getBytes(StandardCharsets.US_ASCII),
          new Random(first));
      HexItem[] items = scanner.end();
      assertThat(items[0].failed()).as("first id %d", first).isFalse();
      assertThat(items[0].hex().toBytes()).containsExactly(0x00);
      assertThat(items[1].failed()).isFalse();
      assertThat(items[1].hex().toBytes()).containsExactly(0x01);
    }
    // What is not plainly null or a number still goes to the parser, and fails as before.
    String good = TWO_ITEMS;
    assertTransient(2, good.replace("1000", "01000"), "id of an item is not valid JSON");
    assertTransient(2, good.replaceFirst("null", "nul"), "error of an item is not valid JSON");
    assertTransient(2, good.replaceFirst("null", "nulll"), "error of an item is not valid JSON");
    assertTransient(2, good.replace("1000", "-1000"), "did not ask");
  }

  @Test
  void everyMalformedReplyIsATransientFailure() {
    String good = TWO_ITEMS;
    assertTransient(2, good.replace("00ff", "00f"), "odd number of digits");
    assertTransient(2, good.replace("00ff", "00fg"), "'g'");
    assertTransient(2, good.replace("00ff", "00\\u0066f"), "an escape");
    assertTransient(2, good.replace(",\"id\":1000", ""), "whole-number id");
    assertTransient(2, good.replace("1000", "\"1000\""), "whole-number id");
    assertTransient(2, good.replace("1000", "1000.5"), "whole-number id");
    assertTransient(2, good.replace("1001", "7"), "did not ask");
    assertTransient(2, good.replace("1001", "1000"), "twice");
    assertTransient(3, good, "lacks the answer to request id 1002");
    assertTransient(2, good.replace("\"result\":\"0102\",", ""), "neither result nor error");
    assertTransient(2, "\"hello\"", "not a JSON array");
    assertTransient(2, good + "x", "goes on after its end");
    assertTransient(2, "[5]", "whole-number id");
    assertTransient(2, "<html>", "not a JSON array");
  }

  @Test
  void aReplyCutOffAtAnyByteIsATransientFailure() {
    String good = "[{\"result\":\"00ff\",\"error\":null,\"id\":1000},"
        + " {\"id\":1001, \"error\": {\"code\": -5, \"message\": \"x\"}, \"result\": null}]";
    byte[] bytes = good.getBytes(StandardCharsets.US_ASCII);
    for (int cut = 0; cut < bytes.length; cut++) {
      HexBatchScanner scanner = scanner(2);
      scanner.feed(bytes, 0, cut);
      assertThatThrownBy(scanner::end).as("cut at " + cut)
          .isInstanceOf(TransientFailure.class);
    }
    HexBatchScanner whole = scanner(2);
    whole.feed(bytes, 0, bytes.length);
    assertThat(whole.end()).hasSize(2);
  }

  /** Blocks in a reply with ids out of order, split at random, each back byte for byte. */
  private static void assertExact(List<byte[]> blocks, Random random, boolean upperCase) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    write(reply, "[");
    for (int k = 0; k < order.size(); k++) {
      int i = order.get(k);
      String hex = HEX.formatHex(blocks.get(i));
      if (upperCase) {
        hex = hex.toUpperCase();
      }
      write(reply, (k == 0 ? "" : ", ") + (random.nextBoolean()
          ? "{\"result\":\"" + hex + "\",\"error\":null,\"id\":" + (FIRST_ID + i) + "}"
          : "{ \"id\" : " + (FIRST_ID + i) + " , \"error\" : null , \"result\" : \"" + hex
              + "\" }"));
    }
    write(reply, "]\n");
    HexBatchScanner scanner = scanner(blocks.size());
    feedInRandomChunks(scanner, reply.toByteArray(), random);
    HexItem[] items = scanner.end();
    for (int i = 0; i < blocks.size(); i++) {
      assertThat(items[i].failed()).isFalse();
      byte[] got = items[i].hex().toBytes();
      assertThat(got.length).as("block " + i + " length").isEqualTo(blocks.get(i).length);
      assertThat(java.util.Arrays.equals(got, 0, got.length, blocks.get(i), 0,
          blocks.get(i).length)).as("block " + i + " bytes").isTrue();
    }
  }

  private static void feedInRandomChunks(HexBatchScanner scanner, byte[] reply, Random random) {
    int pos = 0;
    while (pos < reply.length) {
      // Mostly small pieces (as the network gives them), sometimes large ones.
      int max = random.nextInt(10) == 0 ? 100_000 : 20;
      int n = Math.min(reply.length - pos, 1 + random.nextInt(max));
      scanner.feed(reply, pos, pos + n);
      pos += n;
    }
  }

  private static void assertTransient(int count, String reply, String why) {
    Random random = new Random(reply.hashCode());
    for (int round = 0; round < 5; round++) {
      HexBatchScanner scanner = scanner(count);
      Throwable thrown = catchThrowable(() -> {
        feedInRandomChunks(scanner, reply.getBytes(StandardCharsets.US_ASCII), random);
        scanner.end();
      });
      assertThat(thrown).as(reply).isInstanceOf(TransientFailure.class);
      assertThat(thrown.getMessage()).as(reply).contains(why);
    }
  }

  private static HexBatchScanner scanner(int count) {
    return new HexBatchScanner(FIRST_ID, count, false, "http://127.0.0.1:1/");
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
