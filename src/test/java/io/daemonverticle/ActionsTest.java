package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The action declarations: one per name, and the contract copy's table is theirs. */
class ActionsTest {

  private static final String SECTION = "## Requests";
  /** The constants of {@link Actions} that are not action names. */
  private static final Set<String> NOT_ACTIONS = Set.of("HEADER", "TIMEOUT_HEADER",
      "HEIGHT_TOPIC_SUFFIX", "TIP_TOPIC_SUFFIX");

  @Test
  void everyNamedActionIsDeclaredOnceAndNothingElseIs() throws IllegalAccessException {
    List<String> names = new ArrayList<>();
    for (Field field : Actions.class.getFields()) {
      if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())
          && !NOT_ACTIONS.contains(field.getName())) {
        names.add((String) field.get(null));
      }
    }
    List<String> declared = Actions.SPECS.stream().map(ActionSpec::name).toList();
    assertThat(declared).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(names);
    assertThat(Actions.ALL).containsExactlyInAnyOrderElementsOf(names);
    assertThat(names).allSatisfy((String name) ->
        assertThat(Actions.spec(name).name()).isEqualTo(name));
    assertThat(Actions.spec("heigth")).isNull();
    assertThat(Actions.spec(null)).isNull();
  }

  @Test
  void onlyRawBlocksAnswersBytesAndOnlyTheSendingActionsBroadcast() {
    assertThat(Actions.SPECS.stream().filter(ActionSpec::binaryReply).map(ActionSpec::name))
        .containsExactly(Actions.RAW_BLOCKS);
    assertThat(Actions.SPECS.stream().filter(ActionSpec::broadcast).map(ActionSpec::name))
        .containsExactlyInAnyOrder(Actions.BROADCAST_TRANSACTION, Actions.BROADCAST_PACKAGE,
            Actions.MASTERNODE_BROADCAST);
    assertThat(Actions.spec(Actions.HEIGHT).readOnly()).isTrue();
    assertThat(Actions.spec(Actions.BROADCAST_TRANSACTION).readOnly()).isFalse();
  }

  @Test
  void theVariantActionsAreServedByTheirKindsOnly() {
    assertThat(Actions.spec(Actions.PROTX).kinds())
        .containsExactlyInAnyOrder(DaemonKind.DASH, DaemonKind.ZCOIN_MTP);
    assertThat(Actions.spec(Actions.SMART_REWARDS).kinds()).containsExactly(DaemonKind.SMARTCASH);
    assertThat(Actions.spec(Actions.HEIGHT).kinds()).containsExactlyInAnyOrder(
        DaemonKind.values());
  }

  @Test
  void bodiesAreDescribedFromTheParameters() {
    assertThat(Actions.spec(Actions.HEIGHT).describeBody()).isEqualTo("–");
    assertThat(Actions.spec(Actions.GET_RAW_TRANSACTIONS).describeBody())
        .isEqualTo("txids: JsonArray, replaceErrors (default true)");
    assertThat(Actions.spec(Actions.ESTIMATE_FEE).describeBody())
        .isEqualTo("blocks, mode (optional)");
    assertThat(ActionParam.COUNT.max(7)).isEqualTo(7);
    assertThat(ActionParam.FIRST.max(7)).isEqualTo(Integer.MAX_VALUE);
    assertThat(ActionParam.HASHES.max(7)).isEqualTo(7);
  }

  @Test
  void theContractCopysActionTableIsTheDeclaredOne() throws IOException {
    Path contract = Path.of(System.getProperty("project.basedir", ""))
        .resolve("src/site/markdown/contract.md");
    String expected = Actions.markdownTable();
    String actual = table(Files.readAllLines(contract));
    if (!actual.equals(expected)) {
      fail("The table under \"" + SECTION + "\" in " + contract.toAbsolutePath()
          + " differs from the declarations in Actions.SPECS; replace it with:\n\n" + expected);
    }
  }

  /** The first run of table lines after the section heading, each ending in a newline. */
  private static String table(List<String> lines) {
    int heading = lines.indexOf(SECTION);
    assertThat(heading).as("contract.md has a \"" + SECTION + "\" section").isNotNegative();
    return lines.stream().skip(heading + 1)
        .dropWhile((String line) -> !line.startsWith("|"))
        .takeWhile((String line) -> line.startsWith("|"))
        .map((String line) -> line + "\n")
        .collect(Collectors.joining());
  }
}
