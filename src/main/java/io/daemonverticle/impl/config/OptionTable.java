package io.daemonverticle.impl.config;

import java.util.List;

/** Renders declared keys as the Markdown table of the README, so the docs cannot drift. */
public final class OptionTable {

  private OptionTable() {
  }

  /** {@code | key | env | default | meaning |}, one row per key in declaration order. */
  public static String markdown(List<OptionKey<?>> keys) {
    StringBuilder table = new StringBuilder();
    row(table, "key", "env", "default", "meaning");
    table.append("|---|---|---|---|\n");
    for (OptionKey<?> key : keys) {
      row(table, key.name(), key.env() == null ? "" : key.env(), key.shownDefault(),
          key.meaning());
    }
    return table.toString();
  }

  private static void row(StringBuilder table, String... cells) {
    table.append('|');
    for (String cell : cells) {
      // A bare | would end the cell early.
      table.append(' ').append(cell.replace("|", "\\|")).append(cell.isEmpty() ? "|" : " |");
    }
    table.append('\n');
  }
}
