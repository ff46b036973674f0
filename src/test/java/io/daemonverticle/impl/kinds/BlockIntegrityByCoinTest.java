package io.daemonverticle.impl.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.DaemonKind;
import io.daemonverticle.DaemonOptions;
import io.daemonverticle.impl.jsonrpc.JsonRpc;
import io.daemonverticle.impl.kinds.CoinTable.CoinInfo;
import io.daemonverticle.impl.time.TimeSource;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which header hash checks the blocks of each coin and kind: sha256d only where ElectrumX's
 * coin hashes the 80-byte header so (a wrong entry would refuse every block of that coin),
 * Zcoin's MTP headers with their 180 bytes, and the hashes the JDK lacks left unchecked.
 */
@ExtendWith(VertxExtension.class)
class BlockIntegrityByCoinTest {

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "Bitcoin        | mainnet | sha256d",
      "Bitcoin        | regtest | sha256d",
      "BitcoinSegwit  | testnet | sha256d",
      "BitcoinCashABC | mainnet | sha256d",
      "BitcoinSV      | mainnet | sha256d",
      "Litecoin       | mainnet | sha256d",
      "Dogecoin       | mainnet | sha256d",
      "Namecoin       | mainnet | sha256d",
      "Zcoin          | mainnet | sha256d (Zcoin MTP headers: 180 bytes)",
      "Zcoin          | testnet | sha256d (Zcoin MTP headers: 180 bytes)",
      "Dash           | mainnet | unchecked (X11 not available)",
      "SmartCash      | mainnet | unchecked (Keccak-256 not available)",
      "Decred         | mainnet | unchecked (BLAKE-256 not available)",
      "Blackcoin      | mainnet | unchecked (blocks rebuilt from getblock's JSON)",
      "EXOS           | mainnet | unchecked (blocks rebuilt from getblock's JSON)",
      "Groestlcoin    | mainnet | unchecked (the header hash of Groestlcoin is not known to be sha256d)",
      "Zcash          | mainnet | unchecked (the header hash of Zcash is not known to be sha256d)",
      "Peercoin       | mainnet | unchecked (the header hash of Peercoin is not known to be sha256d)",
  })
  void eachCoinsBlocksAreCheckedByItsOwnHeaderHashOrNot(String coin, String net, String expected,
                                                        Vertx vertx) {
    CoinInfo info = CoinTable.load().find(coin, net);
    assertThat(daemon(vertx, info, info.kind()).blockIntegrity().describe()).isEqualTo(expected);
  }

  /** A kind named in the config over the coin's own: its hash, not the coin's, decides. */
  @Test
  void aKindWhoseHashIsNotAvailableIsUncheckedWhateverTheCoin(Vertx vertx) {
    CoinInfo bitcoin = CoinTable.load().find("Bitcoin", "regtest");
    assertThat(daemon(vertx, bitcoin, DaemonKind.DASH).blockIntegrity().checks()).isFalse();
    assertThat(daemon(vertx, bitcoin, DaemonKind.DECRED).blockIntegrity().checks()).isFalse();
    assertThat(daemon(vertx, bitcoin, DaemonKind.LEGACY).blockIntegrity().checks()).isFalse();
    assertThat(daemon(vertx, bitcoin, DaemonKind.DEFAULT).blockIntegrity().checks()).isTrue();
    assertThat(daemon(vertx, bitcoin, DaemonKind.FAKE_ESTIMATE_FEE).blockIntegrity().checks())
        .as("the fee kinds keep the coin's hash").isTrue();
  }

  /** A kind over a client that is never called: only the choice of check is under test. */
  private static BitcoinDaemon daemon(Vertx vertx, CoinInfo coin, DaemonKind kind) {
    DaemonOptions options = new DaemonOptions().setEstimateFee(0.0002).setRelayFee(0.0001);
    return DaemonKinds.create(new DaemonContext(vertx, TimeSource.of(vertx), options, coin, kind, new JsonRpc(null),
        null, null, null, null));
  }
}
