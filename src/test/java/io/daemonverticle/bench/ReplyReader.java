package io.daemonverticle.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Takes one connection's HTTP/1.1 replies in as their bytes arrive, in pieces of any size, so
 * a blocking reader and a selector's reader share it. The fake daemon always answers with a
 * Content-Length; a body is skipped unless the caller keeps it.
 */
final class ReplyReader {

  private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private int matched;
  /** Body bytes still to come; -1 while the head is read. */
  private long left = -1;
  private long length;

  /**
   * Takes bytes from {@code in} (read mode) up to the end of the current reply, no further.
   *
   * @param kept where the body goes, or null to drop it
   * @return whether the reply ended here; its body's length is then {@link #length()}
   * @throws IllegalStateException for a reply other than 200 or one without a Content-Length
   */
  boolean take(ByteBuffer in, ByteArrayOutputStream kept) {
    while (left < 0) {
      if (!in.hasRemaining()) {
        return false;
      }
      byte b = in.get();
      head.write(b);
      matched = b == HEADERS_END[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == HEADERS_END.length) {
        left = length = contentLength(head.toString(StandardCharsets.US_ASCII));
        head.reset();
        matched = 0;
      }
    }
    int take = (int) Math.min(left, in.remaining());
    if (kept != null) {
      byte[] bytes = new byte[take];
      in.get(bytes);
      kept.write(bytes, 0, take);
    } else {
      in.position(in.position() + take);
    }
    left -= take;
    if (left > 0) {
      return false;
    }
    left = -1;
    return true;
  }

  /** The body's length of the reply {@link #take} last ended. */
  long length() {
    return length;
  }

  private static long contentLength(String head) {
    if (!head.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException("the daemon answered " + head.lines().findFirst()
          .orElse(""));
    }
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    throw new IllegalStateException("a reply without Content-Length: " + head);
  }
}
