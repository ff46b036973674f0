package io.daemonverticle.impl.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code httpToken} check: {@code Authorization: Bearer <token>}. Compared in constant
 * time over SHA-256 digests, so that neither the matching prefix nor the token's length shows
 * in the time an answer takes. The token itself is kept only as its digest.
 */
final class BearerToken {

  private static final String SCHEME = "Bearer ";

  private final byte[] expected;

  BearerToken(String token) {
    this.expected = digest(token);
  }

  /** Whether {@code authorization} (the header, or null) carries the token. */
  boolean accepts(String authorization) {
    if (authorization == null || authorization.length() < SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      // Still one digest and compare, so a missing header costs what a wrong one does.
      MessageDigest.isEqual(expected, digest(""));
      return false;
    }
    return MessageDigest.isEqual(expected,
        digest(authorization.substring(SCHEME.length()).trim()));
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
