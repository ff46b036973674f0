package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.daemonverticle.impl.config.OptionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README's configuration table is the one the key declarations render. */
class DaemonOptionsDocsTest {

  private static final String SECTION = "## Configuration";

  @Test
  void readmeTableIsTheDeclaredOne() throws IOException {
    Path readme = Path.of(System.getProperty("project.basedir", "")).resolve("README.md");
    String expected = DaemonOptions.markdownTable();
    String actual = table(Files.readAllLines(readme));
    if (!actual.equals(expected)) {
      fail("The table under \"" + SECTION + "\" in " + readme.toAbsolutePath()
          + " differs from the key declarations in DaemonOptions; replace it with:\n\n"
          + expected);
    }
  }

  @Test
  void everyKeyHasARowWithAMeaning() {
    List<String> rows = DaemonOptions.markdownTable().lines().skip(2).toList();
    assertThat(rows).hasSize(DaemonOptions.keys().size());
    assertThat(DaemonOptions.keys()).allSatisfy((OptionKey<?> key) ->
        assertThat(key.meaning()).as(key.name()).isNotBlank().doesNotContain("\n"));
  }

  /** The first run of table lines after the section heading, each ending in a newline. */
  private static String table(List<String> lines) {
    int heading = lines.indexOf(SECTION);
    assertThat(heading).as("README.md has a \"" + SECTION + "\" section").isNotNegative();
    return lines.stream().skip(heading + 1)
        .dropWhile((String line) -> !line.startsWith("|"))
        .takeWhile((String line) -> line.startsWith("|"))
        .map((String line) -> line + "\n")
        .collect(Collectors.joining());
  }
}
