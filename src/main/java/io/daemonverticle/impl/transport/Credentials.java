package io.daemonverticle.impl.transport;

/** A daemon's RPC user and password; {@link #toString()} never shows the password. */
public record Credentials(String user, String password) {

  @Override
  public String toString() {
    return "Credentials[user=" + user + ", password=***]";
  }
}
