package io.daemonverticle.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * A refusal holds only the start of its body, however long the body and however it is cut
 * into chunks; what the refusal's message quotes comes from that start.
 */
class RefusalTextTest {

  @Test
  void aLongBodyInChunksKeepsExactlyItsFirstBytes() {
    RefusalText text = new RefusalText(10);

    text.append(Buffer.buffer("abcdef"));
    text.append(Buffer.buffer("ghijkl"));
    assertThat(text.bytes().toString()).as("cut inside the chunk that crosses the limit")
        .isEqualTo("abcdefghij");

    text.append(Buffer.buffer("mnop"));
    assertThat(text.bytes().toString()).as("nothing after the limit").isEqualTo("abcdefghij");
  }

  @Test
  void aShortBodyIsKeptWhole() {
    RefusalText text = new RefusalText(10);

    text.append(Buffer.buffer("abc"));
    text.append(Buffer.buffer("defghij"));

    assertThat(text.bytes().toString()).isEqualTo("abcdefghij");
  }

  @Test
  void theTextIsTheFirstBytesOrTheWholeBody() {
    assertThat(RefusalText.of(Buffer.buffer("abcdefghijk"), 10)).isEqualTo("abcdefghij");
    assertThat(RefusalText.of(Buffer.buffer("abcdefghij"), 10)).isEqualTo("abcdefghij");
    assertThat(RefusalText.of(Buffer.buffer("abc"), 10)).isEqualTo("abc");
  }
}
