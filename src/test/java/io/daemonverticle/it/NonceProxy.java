package io.daemonverticle.it;

import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON-RPC pass-through in front of a bcoin node that adds the one field bcoin 1.0.2 leaves
 * out of verbose {@code getblock}: {@code nonce}, read from the node's own raw header
 * ({@code getblockheader [hash, false]}, bytes 76..80). Everything else, in particular the
 * transactions the legacy kind fetches, is the node's answer untouched.
 */
final class NonceProxy {

  private final Vertx vertx;
  private final RegtestNode node;
  private final WebClient web;
  private HttpServer server;

  NonceProxy(Vertx vertx, RegtestNode node) {
    this.vertx = vertx;
    this.node = node;
    this.web = RegtestNode.webClient(vertx);
  }

  Future<NonceProxy> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle)
        .listen()
        .map((HttpServer s) -> {
          server = s;
          return this;
        });
  }

  /** The node's URL with the proxy's port. */
  String url() {
    return node.url().replace(":" + node.port() + "/", ":" + server.actualPort() + "/");
  }

  private void handle(HttpServerRequest request) {
    request.body()
        .compose((Buffer body) -> web.post(node.port(), "127.0.0.1", "/")
            .putHeader("Authorization", String.valueOf(request.getHeader("Authorization")))
            .putHeader("Content-Type", "application/json")
            .sendBuffer(body)
            .compose((HttpResponse<Buffer> reply) -> reply.statusCode() != 200 ? Future.succeededFuture(reply.body())
                : patch(body, reply.body())))
        .onComplete((AsyncResult<Buffer> ar) -> {
          if (ar.succeeded()) {
            request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(ar.result());
          } else {
            request.response().setStatusCode(502).end(String.valueOf(ar.cause().getMessage()));
          }
        });
  }

  /** Adds nonce to each verbose getblock result of a single or batch reply. */
  private Future<Buffer> patch(Buffer requestBody, Buffer replyBody) {
    Object requests = Json.decodeValue(requestBody);
    Object replies = Json.decodeValue(replyBody);
    List<JsonObject> blocks = new ArrayList<>();
    if (requests instanceof JsonObject one && replies instanceof JsonObject reply) {
      collect(one, reply, blocks);
    } else if (requests instanceof JsonArray many && replies instanceof JsonArray all) {
      for (int i = 0; i < all.size(); i++) {
        JsonObject reply = all.getJsonObject(i);
        for (Object r : many) {
          JsonObject req = (JsonObject) r;
          if (String.valueOf(req.getValue("id")).equals(String.valueOf(reply.getValue("id")))) {
            collect(req, reply, blocks);
          }
        }
      }
    }
    List<Future<Object>> headers = new ArrayList<>();
    for (JsonObject block : blocks) {
      headers.add(node.rpc(web, "getblockheader", block.getString("hash"), false));
    }
    return Future.all(new ArrayList<>(headers)).map((CompositeFuture cf) -> {
      for (int i = 0; i < blocks.size(); i++) {
        String hex = (String) headers.get(i).result();
        long nonce = Long.parseLong(hex.substring(158, 160) + hex.substring(156, 158)
            + hex.substring(154, 156) + hex.substring(152, 154), 16);
        blocks.get(i).put("nonce", nonce);
      }
      return Buffer.buffer(Json.encode(replies));
    });
  }

  private static void collect(JsonObject request, JsonObject reply, List<JsonObject> blocks) {
    if ("getblock".equals(request.getString("method"))
        && reply.getValue("result") instanceof JsonObject block
        && block.containsKey("hash") && !block.containsKey("nonce")) {
      blocks.add(block);
    }
  }
}
