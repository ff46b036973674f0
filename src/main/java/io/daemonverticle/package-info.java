/**
 * DaemonVerticle: a bitcoind-style daemon's operations served on the Vert.x event bus, the
 * port of ElectrumX's {@code Daemon} class. A {@link io.daemonverticle.DaemonVerticle} speaks
 * JSON-RPC to one or more daemon URLs (backoff, a circuit breaker per URL, fail-over, a bound
 * on requests in flight) and answers each action (height, block hashes, raw blocks, mempool,
 * fees, transactions, broadcast, the coin variants' extras) on its address, from any node of
 * the cluster. What travels on the bus (actions, parameters, replies, failure codes, published
 * height changes) is fixed by the contract, src/site/markdown/contract.md.
 *
 * <p>Deploy the verticle with its config, then call it with a
 * {@link io.daemonverticle.DaemonClient}; the verticle uses the config it is given and nothing
 * else (no file, no environment variable). Here the last ten blocks are fetched:
 *
 * <pre>{@code
 * JsonObject config = new JsonObject()
 *     .put("daemonUrl", "http://user:pass@127.0.0.1:8332/")
 *     .put("coin", "Bitcoin")
 *     .put("net", "mainnet");
 * Future<List<Buffer>> blocks = vertx
 *     .deployVerticle(new DaemonVerticle(), new DeploymentOptions().setConfig(config))
 *     .compose((String id) -> {
 *       // Any verticle on any node of the cluster can make these calls.
 *       DaemonClient daemon = DaemonClient.create(vertx, "daemon");
 *       return daemon.height()
 *           .compose((Integer tip) -> daemon.blockHexHashes(tip - 9, 10))
 *           .compose(daemon::rawBlocks);
 *     })
 *     .onSuccess((List<Buffer> raw) -> System.out.println(raw.size() + " blocks, the tip "
 *         + raw.get(9).length() + " bytes"))
 *     .onFailure((Throwable e) -> System.err.println("failed: " + e));
 * }</pre>
 *
 * <p>A failed call fails its future with a {@link io.daemonverticle.DaemonException} carrying
 * the contract's code (400 bad parameter, 404 unknown action, 422 the daemon's own JSON-RPC
 * error as a {@link io.daemonverticle.DaemonRpcException}, 429 too many waiting, 503 the
 * deadline passed); a deployment with a bad config fails with an
 * {@code IllegalArgumentException} saying what is wrong. The keys are those of
 * {@link io.daemonverticle.DaemonOptions}; {@code "daemon"} is the default {@code address}.
 * Callers without the typed client send the action's name in the {@code action} header (see
 * {@link io.daemonverticle.Actions}) and read rawBlocks replies with
 * {@link io.daemonverticle.BlockFrames}. To follow a config file and reload on its edits,
 * deploy {@link io.daemonverticle.DaemonService} instead.
 *
 * <p>{@code src/test/java/io/daemonverticle/DaemonClientExampleTest.java} runs this example
 * against a fake daemon.
 */
package io.daemonverticle;
