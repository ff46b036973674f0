package io.daemonverticle.impl.kinds;

import io.daemonverticle.DaemonKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * ElectrumX 1.15's coin table (a resource): which daemon class, RPC port, fixed fees and
 * genesis block hash each coin and network has. "Bitcoin" is not in that table (1.15 called
 * it BitcoinSegwit; later ElectrumX renamed it back), so it is served as an alias of it.
 */
public final class CoinTable {

  private static final String RESOURCE = "/io/daemonverticle/electrumx-coins.json";
  private static final String BITCOIN = "bitcoin";
  private static final String BITCOIN_ROW_NAME = "bitcoinsegwit";
  private static volatile CoinTable instance;
  /**
   * The coins (rows of the table, lower case) whose block hash is double SHA-256 of the first
   * 80 bytes of the block, as ElectrumX's {@code Coin.header_hash} (or its {@code AuxPowMixin}:
   * Dogecoin, Namecoin) computes it: only coins checked against ElectrumX's coins.py. Many other
   * rows hash otherwise (X11, Quark, Groestl, scrypt for old versions, Equihash headers of 140
   * bytes and more), and a wrong entry would refuse every block of that coin, so a coin is
   * added here only once its header hash is known.
   */
  private static final Set<String> SHA256D_HEADERS = Set.of(BITCOIN_ROW_NAME, "bitcoincashabc",
      "bitcoinsv", "litecoin", "dogecoin", "namecoin");

  private final List<CoinInfo> coins;

  private CoinTable(List<CoinInfo> coins) {
    this.coins = List.copyOf(coins);
  }

  public static CoinTable load() {
    CoinTable table = instance;
    if (table == null) {
      try (InputStream in = CoinTable.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("coin table resource " + RESOURCE + " is missing");
        }
        JsonArray rows = new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        List<CoinInfo> coins = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          coins.add(CoinInfo.fromJson(rows.getJsonObject(i)));
        }
        table = new CoinTable(coins);
        instance = table;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return table;
  }

  /** The coin of that name and network (case-insensitive), or a clear error. */
  public CoinInfo find(String coin, String net) {
    return lookup(coin, net).orElseThrow(() -> {
      List<String> nets = coins.stream()
          .filter(c -> c.name().equalsIgnoreCase(rowName(coin)))
          .map(CoinInfo::net).toList();
      if (nets.isEmpty()) {
        return new IllegalArgumentException("unknown coin \"" + coin + "\"");
      }
      return new IllegalArgumentException("unknown network \"" + net + "\" for coin " + coin
          + "; it has " + String.join(", ", nets));
    });
  }

  public Optional<CoinInfo> lookup(String coin, String net) {
    String name = rowName(coin);
    return coins.stream()
        .filter(c -> c.name().equalsIgnoreCase(name) && c.net().equalsIgnoreCase(net.trim()))
        .findFirst()
        .map(c -> coin.trim().equalsIgnoreCase(BITCOIN) ? c.renamed("Bitcoin") : c);
  }

  private static String rowName(String coin) {
    String name = coin.trim().toLowerCase(Locale.ROOT);
    return name.equals(BITCOIN) ? BITCOIN_ROW_NAME : name;
  }

  /** One row of the table. */
  /**
   * One row of the table.
   *
   * @param genesisHash the hash of the chain's block 0 as ElectrumX's coin class gives it
   *                    (hex, as the daemon prints it; null: the class has none)
   */
  public record CoinInfo(String name, String net, Integer rpcPort,
                         DaemonKind kind, Double estimateFee, Double relayFee,
                         String genesisHash) {

    /** A row without a genesis hash (tests, coins the table does not know one for). */
    public CoinInfo(String name, String net, Integer rpcPort, DaemonKind kind,
                    Double estimateFee, Double relayFee) {
      this(name, net, rpcPort, kind, estimateFee, relayFee, null);
    }

    static CoinInfo fromJson(JsonObject row) {
      return new CoinInfo(row.getString("name"), row.getString("net"),
          row.getInteger("rpcPort"), DaemonKind.parse(row.getString("daemon")),
          row.getDouble("estimateFee"), row.getDouble("relayFee"),
          row.getString("genesisHash"));
    }

    /** Whether its blocks' hash is double SHA-256 of their first 80 bytes (see above). */
    public boolean sha256dHeaders() {
      return SHA256D_HEADERS.contains(rowName(name));
    }

    CoinInfo renamed(String newName) {
      return new CoinInfo(newName, net, rpcPort, kind, estimateFee, relayFee, genesisHash);
    }
  }
}
