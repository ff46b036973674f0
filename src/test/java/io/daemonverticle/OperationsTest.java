package io.daemonverticle;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonverticle.testing.FakeChain;
import io.daemonverticle.testing.FakeDaemon;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each action: the RPC it sends (method and params) and the reply it gives. */
@ExtendWith(VertxExtension.class)
class OperationsTest {

  private static final int TIP = 20;
  private static final HexFormat HEX = HexFormat.of();

  private static JsonObject only(FakeDaemon fake, String method) {
    List<JsonObject> calls = fake.calls().stream()
        .filter((JsonObject c) -> method.equals(c.getString("method"))).toList();
    assertThat(calls).as("calls of " + method).hasSize(1);
    return calls.get(0);
  }

  private static long count(FakeDaemon fake, String method) {
    return fake.methods().stream().filter(method::equals).count();
  }

  private static double number(Object value) {
    return ((Number) value).doubleValue();
  }

  @Test
  void heightSendsGetblockcountWithoutParams(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> s.client.cachedHeight()
        .compose((Integer before) -> {
          assertThat(before).isNull();
          return s.client.height();
        })
        .compose((Integer h) -> {
          assertThat(h).isEqualTo(TIP);
          JsonObject call = only(s.fake, "getblockcount");
          assertThat(call.containsKey("params")).as("params left out when none").isFalse();
          assertThat(call.getValue("id")).isInstanceOf(Number.class);
          return s.client.cachedHeight();
        })
        .map((Integer cached) -> {
          assertThat(cached).isEqualTo(TIP);
          // cachedHeight never asks the daemon.
          assertThat(s.fake.methods()).containsExactly("getblockcount");
          return cached;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void blockHexHashesIsOneBatch(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> s.client.blockHexHashes(3, 4)
        .map((List<String> hashes) -> {
      assertThat(hashes).containsExactly(FakeChain.blockHash(3), FakeChain.blockHash(4),
          FakeChain.blockHash(5), FakeChain.blockHash(6));
      assertThat(s.fake.httpRequests()).isEqualTo(1);
      assertThat(s.fake.calls()).extracting((JsonObject c) -> c.getJsonArray("params"))
          .containsExactly(new JsonArray().add(3), new JsonArray().add(4),
              new JsonArray().add(5), new JsonArray().add(6));
      // Ids come from one counter: all distinct.
      Set<Object> ids = s.fake.calls().stream().map((JsonObject c) -> c.getValue("id"))
          .collect(Collectors.toSet());
      assertThat(ids).hasSize(4);
      return hashes;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void emptyBatchesSendNothing(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> s.client.blockHexHashes(5, 0)
        .compose((List<String> hashes) -> {
          assertThat(hashes).isEmpty();
          return s.client.getRawTransactions(List.of());
        })
        .compose((List<String> txs) -> {
          assertThat(txs).isEmpty();
          return s.ask(Actions.RAW_BLOCKS, new JsonObject().put("hashes", new JsonArray()));
        })
        .map((Object framed) -> {
          assertThat(((Buffer) framed).length()).isZero();
          assertThat(s.fake.httpRequests()).isZero();
          assertThat(s.fake.calls()).isEmpty();
          return framed;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void batchRepliesAreMatchedById(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.shuffleBatchReplies(true);
      return s.client.blockHexHashes(0, 6).compose((List<String> hashes) -> {
        List<String> expected = new ArrayList<>();
        for (int h = 0; h < 6; h++) {
          expected.add(FakeChain.blockHash(h));
        }
        assertThat(hashes).containsExactlyElementsOf(expected);
        return s.client.rawBlocks(List.of(FakeChain.blockHash(2), FakeChain.blockHash(9)));
      }).map((List<Buffer> blocks) -> {
        assertThat(blocks.get(0).getBytes()).isEqualTo(HEX.parseHex(FakeChain.rawBlockHex(2)));
        assertThat(blocks.get(1).getBytes()).isEqualTo(HEX.parseHex(FakeChain.rawBlockHex(9)));
        return blocks;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void deserialisedBlockIsVerboseGetblock(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP)
        .compose((Service s) -> s.client.deserialisedBlock(FakeChain.blockHash(7))
        .map((JsonObject block) -> {
          assertThat(block).isEqualTo(s.fake.chain().verboseBlock(7));
          assertThat(only(s.fake, "getblock").getJsonArray("params"))
              .isEqualTo(new JsonArray().add(FakeChain.blockHash(7)).add(true));
          return block;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void rawBlocksAreFramedInRequestOrder(Vertx vertx, VertxTestContext ctx) {
    List<Integer> heights = List.of(11, 2, 7);
    JsonArray hashes = new JsonArray();
    heights.forEach((Integer h) -> hashes.add(FakeChain.blockHash(h)));
    Service.start(vertx, TIP).compose((Service s) -> s.ask(Actions.RAW_BLOCKS,
        new JsonObject().put("hashes", hashes)).map((Object body) -> {
          assertThat(body).as("a Buffer, never base64 or JSON").isInstanceOf(Buffer.class);
          Buffer framed = (Buffer) body;
          Buffer expected = Buffer.buffer();
          for (int h : heights) {
            byte[] bytes = HEX.parseHex(FakeChain.rawBlockHex(h));
            expected.appendInt(bytes.length).appendBytes(bytes);
          }
          assertThat(framed.getBytes()).isEqualTo(expected.getBytes());
          // Big-endian length first: 1000 + 11 bytes for block 11.
          assertThat(framed.getBytes(0, 4)).containsExactly(0, 0, 0x03, (byte) 0xf3);
          // The fake serves no REST (bitcoind without -rest): one probe says so, then one batch.
          assertThat(s.fake.restPaths()).containsExactly("/rest/chaininfo.json");
          assertThat(s.fake.httpRequests()).isEqualTo(2);
          assertThat(s.fake.calls()).extracting((JsonObject c) -> c.getJsonArray("params"))
              .containsExactly(
              new JsonArray().add(FakeChain.blockHash(11)).add(false),
              new JsonArray().add(FakeChain.blockHash(2)).add(false),
              new JsonArray().add(FakeChain.blockHash(7)).add(false));
          return framed;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void mempoolHashes(Vertx vertx, VertxTestContext ctx) {
    String a = FakeChain.blockTxids(4).get(0);
    String b = FakeChain.blockTxids(5).get(0);
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.chain().mempool().addAll(List.of(a, b));
      return s.client.mempoolHashes().map((List<String> hashes) -> {
        assertThat(hashes).containsExactly(a, b);
        assertThat(only(s.fake, "getrawmempool").containsKey("params")).isFalse();
        return hashes;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void smartFeeUsesFeerateAfterOneProbe(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> s.client.estimateFee(6, null)
        .compose((Double fee) -> {
          assertThat(fee).isEqualTo(FakeChain.SMART_FEE.doubleValue());
          return s.client.estimateFee(2, "economical");
        })
        .map((Double fee) -> {
          assertThat(fee).isEqualTo(FakeChain.SMART_FEE.doubleValue());
          List<JsonObject> calls = s.fake.calls();
          assertThat(calls).extracting((JsonObject c) -> c.getString("method"))
              .containsOnly("estimatesmartfee");
          assertThat(calls.stream().filter((JsonObject c) -> !c.containsKey("params")).count())
              .as("the availability probe, asked once").isEqualTo(1);
          assertThat(calls).extracting((JsonObject c) -> c.getJsonArray("params")).contains(
              new JsonArray().add(6), new JsonArray().add(2).add("ECONOMICAL"));
          return fee;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void smartFeeWithoutFeerateIsMinusOne(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.handle("estimatesmartfee", (JsonArray p) -> {
        if (p == null) {
          throw new FakeDaemon.RpcError(FakeDaemon.RPC_MISC_ERROR, "estimatesmartfee help");
        }
        return new JsonObject().put("errors", new JsonArray().add("Insufficient data"))
            .put("blocks", 0);
      });
      return s.client.estimateFee(3, null).map((Double fee) -> {
        assertThat(fee).isEqualTo(-1.0);
        return fee;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void oldDaemonFallsBackToEstimatefee(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.unhandle("estimatesmartfee").handle("estimatefee", (JsonArray p) -> 0.00012);
      return s.client.estimateFee(6, null)
          .compose((Double fee) -> {
            assertThat(fee).isEqualTo(0.00012);
            return s.client.estimateFee(7, null);
          })
          .map((Double fee) -> {
            assertThat(count(s.fake, "estimatesmartfee")).as("probe asked once").isEqualTo(1);
            assertThat(s.fake.calls())
                .filteredOn((JsonObject c) -> "estimatefee".equals(c.getString("method")))
                .extracting((JsonObject c) -> c.getJsonArray("params"))
                .containsExactly(new JsonArray().add(6), new JsonArray().add(7));
            return fee;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void probeIsAskedOnceUnderConcurrentFirstCalls(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.setLatency(30);
      List<Future<Double>> fees = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        fees.add(s.client.estimateFee(i, null));
      }
      return Future.all(fees).map((CompositeFuture all) -> {
        assertThat(all.<Double>list()).containsOnly(FakeChain.SMART_FEE.doubleValue());
        long probes = s.fake.calls().stream()
            .filter((JsonObject c) -> "estimatesmartfee".equals(c.getString("method")))
            .filter((JsonObject c) -> !c.containsKey("params")).count();
        assertThat(probes).isEqualTo(1);
        assertThat(count(s.fake, "estimatesmartfee")).isEqualTo(21);
        return all;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void relayFeeComesFromNetworkInfo(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> s.client.relayFee().map((Double fee) -> {
      assertThat(fee).isEqualTo(FakeChain.MIN_FEE.doubleValue());
      assertThat(s.fake.methods()).containsExactly("getnetworkinfo");
      return fee;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void networkInfoIsCachedAndSharedByConcurrentAskers(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP, (JsonObject c) -> c.put("cacheTtlMs", 300)).compose((Service s) -> {
      s.fake.setLatency(50);
      List<Future<?>> asks = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        asks.add(s.client.networkInfo());
        asks.add(s.client.relayFee());
      }
      return Future.all(asks)
          .compose((CompositeFuture all) -> {
            assertThat(((JsonObject) all.resultAt(0)).getInteger("version")).isEqualTo(270000);
            assertThat(count(s.fake, "getnetworkinfo")).isEqualTo(1);
            return s.client.networkInfo();
          })
          .compose((JsonObject again) -> {
            assertThat(count(s.fake, "getnetworkinfo")).as("served from the cache").isEqualTo(1);
            // Past cacheTtlMs the daemon is asked again.
            return vertx.timer(400).compose((Void t) -> s.client.networkInfo());
          })
          .map((JsonObject later) -> {
            assertThat(count(s.fake, "getnetworkinfo")).isEqualTo(2);
            return later;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void mempoolInfoHasTheThreeFeeKeys(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> s.client.mempoolInfo()
        .map((JsonObject info) -> {
      assertThat(info.fieldNames())
          .containsExactlyInAnyOrder("mempoolminfee", "minrelaytxfee", "incrementalrelayfee");
      assertThat(number(info.getValue("mempoolminfee"))).isEqualTo(0.00001);
      assertThat(number(info.getValue("minrelaytxfee"))).isEqualTo(0.00001);
      assertThat(number(info.getValue("incrementalrelayfee"))).isEqualTo(0.00001);
      assertThat(s.fake.methods()).containsExactly("getmempoolinfo");
      return info;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void mempoolInfoOfAnOldDaemonFallsBackToNetworkInfo(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.handle("getmempoolinfo", (JsonArray p) -> new JsonObject().put("size", 0).put("bytes",
          0)
          .put("mempoolminfee", 0.00003));
      s.fake.handle("getnetworkinfo", (JsonArray p) -> new JsonObject().put("version", 190000)
          .put("relayfee", 0.00002).put("incrementalfee", 0.00004));
      return s.client.mempoolInfo().map((JsonObject info) -> {
        assertThat(number(info.getValue("mempoolminfee"))).isEqualTo(0.00003);
        assertThat(number(info.getValue("minrelaytxfee"))).isEqualTo(0.00002);
        assertThat(number(info.getValue("incrementalrelayfee"))).isEqualTo(0.00004);
        assertThat(s.fake.methods()).containsExactlyInAnyOrder("getmempoolinfo", "getnetworkinfo");
        return info;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void indexInfo(Vertx vertx, VertxTestContext ctx) {
    JsonObject indexes = new JsonObject().put("txindex",
        new JsonObject().put("synced", true).put("best_block_height", TIP));
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.handle("getindexinfo", (JsonArray p) -> indexes);
      return s.client.indexInfo().map((JsonObject info) -> {
        assertThat(info).isEqualTo(indexes);
        assertThat(s.fake.methods()).containsExactly("getindexinfo");
        return info;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void getRawTransactionSendsVerboseAsZeroOrOne(Vertx vertx, VertxTestContext ctx) {
    String txid = FakeChain.blockTxids(3).get(0);
    Service.start(vertx, TIP).compose((Service s) -> s.client.getRawTransaction(txid)
        .compose((String hex) -> {
          assertThat(hex).isEqualTo(FakeChain.rawTxHex(txid));
          return s.client.getRawTransactionVerbose(txid);
        })
        .map((JsonObject verbose) -> {
          assertThat(verbose).isEqualTo(FakeChain.verboseTx(txid));
          assertThat(s.fake.calls()).extracting((JsonObject c) -> c.getJsonArray("params"))
              .containsExactly(
              new JsonArray().add(txid).add(0), new JsonArray().add(txid).add(1));
          // Integers, not booleans: old daemons reject booleans.
          assertThat(s.fake.calls().get(0).getJsonArray("params").getValue(1))
              .isInstanceOf(Integer.class);
          return verbose;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void getRawTransactionsIsOneBatch(Vertx vertx, VertxTestContext ctx) {
    List<String> txids = List.of(FakeChain.blockTxids(2).get(0), FakeChain.blockTxids(5).get(1));
    Service.start(vertx, TIP).compose((Service s) -> s.client.getRawTransactions(txids)
        .map((List<String> hexes) -> {
      assertThat(hexes).containsExactly(FakeChain.rawTxHex(txids.get(0)),
          FakeChain.rawTxHex(txids.get(1)));
      assertThat(s.fake.httpRequests()).isEqualTo(1);
      assertThat(s.fake.calls()).extracting((JsonObject c) -> c.getJsonArray("params"))
          .containsExactly(
          new JsonArray().add(txids.get(0)).add(0), new JsonArray().add(txids.get(1)).add(0));
      return hexes;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void oneFailedTransactionIsNullOr422WithTheErrors(Vertx vertx, VertxTestContext ctx) {
    String good = FakeChain.blockTxids(2).get(0);
    String bad = FakeChain.blockTxids(4).get(0);
    JsonArray txids = new JsonArray().add(good).add(bad);
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.handle("getrawtransaction", (JsonArray p) -> {
        if (bad.equals(p.getString(0))) {
          throw new FakeDaemon.RpcError(FakeDaemon.RPC_INVALID_ADDRESS_OR_KEY,
              "No such mempool or blockchain transaction");
        }
        return FakeChain.rawTxHex(p.getString(0));
      });
      return s.ask(Actions.GET_RAW_TRANSACTIONS, new JsonObject().put("txids", txids))
          .compose((Object replaced) -> {
            assertThat(replaced).isEqualTo(new JsonArray().add(FakeChain.rawTxHex(good))
                .addNull());
            return s.failure(Actions.GET_RAW_TRANSACTIONS, new JsonObject().put("txids", txids)
                .put("replaceErrors", false));
          })
          .map((DaemonException e) -> {
            assertThat(e.code()).isEqualTo(422);
            assertThat(e).isInstanceOf(DaemonRpcException.class);
            DaemonRpcException rpc = (DaemonRpcException) e;
            assertThat(rpc.isBatch()).isTrue();
            assertThat(rpc.error()).isEqualTo(new JsonArray().add(new JsonObject()
                .put("code", -5).put("message", "No such mempool or blockchain transaction")));
            assertThat(s.fake.httpRequests()).as("a daemon error is not retried").isEqualTo(2);
            return e;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void txSpendingPrevoutAsksForOneOutpoint(Vertx vertx, VertxTestContext ctx) {
    String txid = FakeChain.blockTxids(6).get(0);
    JsonObject spent = new JsonObject().put("txid", txid).put("vout", 1)
        .put("spendingtxid", FakeChain.blockTxids(7).get(0));
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.handle("gettxspendingprevout", (JsonArray p) -> new JsonArray().add(spent));
      return s.client.txSpendingPrevout(txid, 1).map((JsonObject reply) -> {
        assertThat(reply).isEqualTo(spent);
        assertThat(only(s.fake, "gettxspendingprevout").getJsonArray("params")).isEqualTo(
            new JsonArray()
                .add(new JsonArray().add(new JsonObject().put("txid", txid).put("vout", 1)))
                .add(new JsonObject().put("mempool_only", false)));
        return reply;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void broadcastTransactionAnswersTheTxid(Vertx vertx, VertxTestContext ctx) {
    String raw = FakeChain.rawTxHex("broadcast-me");
    Service.start(vertx, TIP).compose((Service s) -> s.client.broadcastTransaction(raw)
        .map((String txid) -> {
      assertThat(txid).isEqualTo(FakeChain.txidOf(raw));
      assertThat(s.fake.chain().mempool()).contains(txid);
      assertThat(only(s.fake, "sendrawtransaction").getJsonArray("params"))
          .isEqualTo(new JsonArray().add(raw));
      return txid;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void rejectedBroadcastIs422WithTheDaemonsError(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.handle("sendrawtransaction", (JsonArray p) -> {
        throw new FakeDaemon.RpcError(-26, "mandatory-script-verify-flag-failed");
      });
      return Service.expectFailure(s.client.broadcastTransaction("00ff"))
          .map((DaemonException e) -> {
        assertThat(e.code()).isEqualTo(422);
        assertThat(((DaemonRpcException) e).rpcCode()).isEqualTo(-26);
        assertThat(((DaemonRpcException) e).rpcMessage())
            .isEqualTo("mandatory-script-verify-flag-failed");
        assertThat(new JsonObject(e.getMessage()).getInteger("code")).isEqualTo(-26);
        return e;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void broadcastPackageIsSubmitpackage(Vertx vertx, VertxTestContext ctx) {
    List<String> raws = List.of(FakeChain.rawTxHex("parent"), FakeChain.rawTxHex("child"));
    JsonObject result = new JsonObject().put("package_msg", "success")
        .put("tx-results", new JsonObject());
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.handle("submitpackage", (JsonArray p) -> result);
      return s.client.broadcastPackage(raws).map((JsonObject reply) -> {
        assertThat(reply).isEqualTo(result);
        assertThat(only(s.fake, "submitpackage").getJsonArray("params"))
            .isEqualTo(new JsonArray().add(new JsonArray(new ArrayList<>(raws))));
        return reply;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void testMempoolAcceptPassesTheArray(Vertx vertx, VertxTestContext ctx) {
    String raw = FakeChain.rawTxHex("candidate");
    JsonArray result = new JsonArray().add(new JsonObject().put("txid", FakeChain.txidOf(raw))
        .put("allowed", true));
    Service.start(vertx, TIP).compose((Service s) -> {
      s.fake.handle("testmempoolaccept", (JsonArray p) -> result);
      return s.client.testMempoolAccept(List.of(raw)).map((JsonArray reply) -> {
        assertThat(reply).isEqualTo(result);
        assertThat(only(s.fake, "testmempoolaccept").getJsonArray("params"))
            .isEqualTo(new JsonArray().add(new JsonArray().add(raw)));
        return reply;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void statusSaysWhoAnsweredWithoutAskingTheDaemon(Vertx vertx, VertxTestContext ctx) {
    Service.start(vertx, TIP).compose((Service s) -> s.client.height()
        .compose((Integer h) -> s.client.status())
        .map((JsonObject status) -> {
          assertThat(status.getString("kind")).isEqualTo("default");
          assertThat(status.getString("coin")).isEqualTo("Bitcoin");
          assertThat(status.getString("net")).isEqualTo("regtest");
          assertThat(status.getInteger("cachedHeight")).isEqualTo(TIP);
          assertThat(status.getString("currentUrl"))
              .isEqualTo("127.0.0.1:" + s.fake.port() + "/");
          assertThat(status.getJsonObject("node").getString("deploymentId"))
              .isEqualTo(s.deploymentId);
          assertThat(status.getJsonArray("urls").getJsonObject(0).getString("circuit"))
              .isEqualTo("CLOSED");
          assertThat(status.getInteger("inFlight")).isZero();
          assertThat(status.getInteger("queued")).isZero();
          assertThat(s.fake.methods()).containsExactly("getblockcount");
          return status;
        })).onComplete(ctx.succeedingThenComplete());
  }
}
