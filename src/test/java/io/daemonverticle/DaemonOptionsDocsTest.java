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

/** The configuration page's keys table is the one the key declarations render. */
class DaemonOptionsDocsTest {

  /** Where the table lives (the README links it): the Maven site's configuration page. */
  private static final String PAGE = "src/site/markdown/configuration.md";
  private static final String SECTION = "## Configuration";

  @Test
  void documentedTableIsTheDeclaredOne() throws IOException {
    Path page = Path.of(System.getProperty("project.basedir", "")).resolve(PAGE);
    String expected = DaemonOptions.markdownTable();
    String actual = table(Files.readAllLines(page));
    if (!actual.equals(expected)) {
      fail("The table under \"" + SECTION + "\" in " + page.toAbsolutePath()
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
    assertThat(heading).as(PAGE + " has a \"" + SECTION + "\" section").isNotNegative();
    return lines.stream().skip(heading + 1)
        .dropWhile((String line) -> !line.startsWith("|"))
        .takeWhile((String line) -> line.startsWith("|"))
        .map((String line) -> line + "\n")
        .collect(Collectors.joining());
  }
}
