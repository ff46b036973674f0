#!/usr/bin/env node
// A bitcoind-shaped daemon for scripts/bench: measurement only, never a test double for
// behaviour (src/test/java/.../testing/FakeDaemon is that). Everything is served from memory,
// on 127.0.0.1 only, from two listeners of this one process:
//   - "rest":  JSON-RPC plus bitcoind's REST interface (as with -rest), GET /rest/block/H.bin;
//   - "plain": JSON-RPC only; /rest/... answers 404 with an empty body (bitcoind without -rest).
//
//   node fake-daemon.js [--block-bytes 1000000] [--tx-bytes 250] [--tip 1000000]
//                       [--user bench] [--password bench]
//
// Prints one JSON line {"ready":true,"rest":PORT,"plain":PORT} once both listen, then serves
// until its stdin closes (so it never outlives the benchmark that started it).
//
// The chain: every block holds the same transactions (tx i is --tx-bytes long, the last one
// takes the rest so that a block is exactly --block-bytes), behind its own 80-byte header, so a
// block's bytes hash to the hash getblockhash gives (the headers do not link: see headerAt).
// The block body and its hex are built once; a reply writes the shared buffers, never copies.
// The transactions are opaque bytes, not valid Bitcoin transactions: nothing here parses them.
//
// GET /bench/stats (either listener) answers the counts of what was asked so far, so the
// benchmark can tell which transport a client used.
'use strict';
const http = require('http');
const crypto = require('crypto');

const {values: opts, positive, fail} = require('./options')('fake-daemon',
  {'block-bytes': 1000000, 'tx-bytes': 250, tip: 1000000, user: 'bench', password: 'bench'});
const blockBytes = positive(opts['block-bytes'], 'block-bytes');
const txBytes = positive(opts['tx-bytes'], 'tx-bytes');
const tip = positive(opts.tip, 'tip');
const expectedAuth = 'Basic ' + Buffer.from(opts.user + ':' + opts.password).toString('base64');

// ---- the chain ----
const sha256d = b => crypto.createHash('sha256').update(crypto.createHash('sha256').update(b).digest()).digest();
const displayHex = internal => Buffer.from(internal).reverse().toString('hex');
function varint(n) {
  if (n < 0xfd) return Buffer.from([n]);
  const b = Buffer.alloc(n <= 0xffff ? 3 : 5);
  b[0] = n <= 0xffff ? 0xfd : 0xfe;
  if (n <= 0xffff) b.writeUInt16LE(n, 1); else b.writeUInt32LE(n, 1);
  return b;
}

// How many transactions fit: header + count + txs == blockBytes, the remainder in the last tx.
let txCount = Math.floor((blockBytes - 81) / txBytes);
while (txCount > 0 && 80 + varint(txCount).length + txCount * txBytes > blockBytes) txCount--;
if (txCount < 1 || txBytes < 8) fail('a block of ' + blockBytes + ' bytes cannot hold one ' + txBytes + '-byte transaction (tx-bytes >= 8)');
const txs = [];
for (let i = 0; i < txCount; i++) {
  const last = i === txCount - 1;
  const tx = Buffer.alloc(last ? blockBytes - 80 - varint(txCount).length - (txCount - 1) * txBytes : txBytes, 0xcd);
  tx.writeUInt32LE(2, 0); // version
  tx.writeUInt32LE(i, 4); // makes every txid different
  txs.push(tx);
}
const txidsInternal = txs.map(sha256d);
const txids = txidsInternal.map(displayHex);
const txIndex = new Map(txids.map((id, i) => [id, i]));
const txHex = txs.map(tx => tx.toString('hex'));
const txidList = Buffer.from(JSON.stringify(txids));

function merkleRoot(leaves) {
  let level = leaves;
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(sha256d(Buffer.concat([level[i], level[i + 1 < level.length ? i + 1 : i]])));
    }
    level = next;
  }
  return level[0];
}
const merkle = merkleRoot(txidsInternal);
const body = Buffer.concat([varint(txCount), ...txs]);
const bodyHex = Buffer.from(body.toString('hex'), 'latin1');
if (80 + body.length !== blockBytes) fail('internal: block size ' + (80 + body.length));

// Headers and hashes are made on demand, each on its own. A header's previous-block field
// holds a stand-in (the hash of the height below it, as 4 bytes), not the previous header's
// hash: with real links the tip's hash (getblockchaininfo, getbestblockhash: the service's
// REST probe) meant hashing all 1,000,000 headers first, which held this process (and every
// request in the run) for about 15 s.
const headers = new Map();
const hashes = new Map();
const heightOf = new Map();
function headerAt(h) {
  let header = headers.get(h);
  if (header === undefined) {
    header = Buffer.alloc(80);
    header.writeUInt32LE(0x20000000, 0);
    if (h > 0) {
      const below = Buffer.alloc(4);
      below.writeUInt32LE(h - 1, 0);
      sha256d(below).copy(header, 4);
    }
    merkle.copy(header, 36);
    header.writeUInt32LE(1600000000 + 600 * h, 68);
    header.writeUInt32LE(0x1d00ffff, 72);
    header.writeUInt32LE(h, 76);
    headers.set(h, header);
    const hash = displayHex(sha256d(header));
    hashes.set(h, hash);
    heightOf.set(hash, h);
  }
  return header;
}
const hashAt = h => { headerAt(h); return hashes.get(h); };

// ---- JSON-RPC ----
class RpcError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}
const stats = {httpRequests: 0, rpcCalls: {}, restBlocks: 0};
const RAW = Symbol('raw block');

function blockHeight(hash) {
  const h = typeof hash === 'string' ? heightOf.get(hash) : undefined;
  if (h === undefined) throw new RpcError(-5, 'Block not found');
  return h;
}
function height(value) {
  if (!Number.isInteger(value) || value < 0 || value > tip) throw new RpcError(-8, 'Block height out of range');
  return value;
}
function verbose(value, fallback) {
  return value === undefined ? fallback : !(value === false || value === 0);
}

// A method's result; a block is answered as a marker that the writer expands (getblock's
// verbosity 2 is answered as 1: txids, not transaction objects).
function answer(method, p) {
  switch (method) {
    case 'getblockcount': return tip;
    case 'getbestblockhash': return hashAt(tip);
    case 'getblockhash': return hashAt(height(p[0]));
    case 'getblock': {
      return {[RAW]: blockHeight(p[0]), verbose: verbose(p[1], true)};
    }
    case 'getrawtransaction': {
      const i = txIndex.get(p[0]);
      if (i === undefined) throw new RpcError(-5, 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.');
      if (!verbose(p[1], false)) return txHex[i];
      return {txid: txids[i], hash: txids[i], version: 2, size: txs[i].length, vsize: txs[i].length,
        hex: txHex[i], blockhash: hashAt(0), confirmations: tip + 1};
    }
    case 'getnetworkinfo':
      return {version: 270000, subversion: '/Satoshi:27.0.0/', protocolversion: 70016,
        connections: 8, relayfee: 0.00001, incrementalfee: 0.00001, warnings: ''};
    case 'estimatesmartfee':
      if (p.length === 0) throw new RpcError(-1, 'estimatesmartfee conf_target ( "estimate_mode" )');
      return {feerate: 0.0001, blocks: p[0]};
    case 'getrawmempool': return [];
    case 'getmempoolinfo':
      return {loaded: true, size: 0, bytes: 0, mempoolminfee: 0.00001, minrelaytxfee: 0.00001, incrementalrelayfee: 0.00001};
    case 'getblockchaininfo': return {chain: 'main', blocks: tip, headers: tip, bestblockhash: hashAt(tip)};
    default: throw new RpcError(-32601, 'Method not found');
  }
}

// One reply object as pieces: small parts as strings (send joins neighbours into one buffer),
// a raw block as its two shared buffers.
function replyPieces(request, out) {
  const id = JSON.stringify(request && request.id !== undefined ? request.id : null);
  let result;
  try {
    if (!request || typeof request.method !== 'string') throw new RpcError(-32600, 'Invalid Request object');
    const params = Array.isArray(request.params) ? request.params : [];
    const key = request.method === 'getblock' && !verbose(params[1], true) ? 'getblock:raw' : request.method;
    stats.rpcCalls[key] = (stats.rpcCalls[key] || 0) + 1;
    result = answer(request.method, params);
  } catch (e) {
    if (!(e instanceof RpcError)) throw e;
    out.push('{"result":null,"error":' + JSON.stringify({code: e.code, message: e.message}) + ',"id":' + id + '}');
    return e.code;
  }
  if (result && result[RAW] !== undefined && !result.verbose) {
    out.push('{"result":"' + headerAt(result[RAW]).toString('hex'), bodyHex,
      '","error":null,"id":' + id + '}');
  } else if (result && result[RAW] !== undefined) {
    const h = result[RAW];
    const block = {hash: hashAt(h), confirmations: tip - h + 1, size: blockBytes, height: h,
      version: 0x20000000, merkleroot: displayHex(merkle), time: 1600000000 + 600 * h, nonce: h,
      bits: '1d00ffff', nTx: txCount, previousblockhash: h > 0 ? hashAt(h - 1) : undefined};
    const json = JSON.stringify(block);
    // The txid list is serialised once for all blocks.
    out.push('{"result":' + json.slice(0, -1) + ',"tx":', txidList,
      '},"error":null,"id":' + id + '}');
  } else {
    out.push('{"result":' + JSON.stringify(result) + ',"error":null,"id":' + id + '}');
  }
  return 0;
}

// bitcoind's HTTP status for a single call's error; a batch is always 200.
const statusOf = code => code === 0 ? 200 : code === -32600 ? 400 : code === -32601 ? 404 : 500;

function send(res, status, type, parts) {
  // A batch of 100 transactions is 300 small strings: one buffer made of them all is cheaper to
  // write than 300 (getRawTransactions' transport limit rose from 240,000 to 350,000 tx/s).
  const pieces = [];
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
    } else {
      if (text) pieces.push(Buffer.from(text));
      text = '';
      pieces.push(part);
    }
  }
  if (text) pieces.push(Buffer.from(text));
  res.writeHead(status, {'Content-Type': type, 'Content-Length': pieces.reduce((n, b) => n + b.length, 0)});
  // Corked, the pieces leave in one writev.
  res.cork();
  for (const piece of pieces) res.write(piece);
  res.uncork();
  res.end();
}

function rpc(req, res) {
  if (req.headers.authorization !== expectedAuth) return send(res, 401, 'text/html', []);
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    let request;
    try { request = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch (e) {
      return send(res, 500, 'application/json',
        [Buffer.from('{"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null}')]);
    }
    const pieces = [];
    if (!Array.isArray(request)) {
      const code = replyPieces(request, pieces);
      pieces.push('\n');
      return send(res, statusOf(code), 'application/json', pieces);
    }
    pieces.push('[');
    request.forEach((r, i) => { if (i > 0) pieces.push(','); replyPieces(r, pieces); });
    pieces.push(']\n');
    send(res, 200, 'application/json', pieces);
  });
}

function rest(req, res, enabled) {
  if (!enabled) return send(res, 404, 'text/html', []);
  const block = /^\/rest\/block\/([0-9a-f]{64})\.(bin|hex)$/.exec(req.url);
  if (block) {
    const h = heightOf.get(block[1]);
    if (h === undefined) return send(res, 404, 'text/plain', [Buffer.from(block[1] + ' not found\r\n')]);
    stats.restBlocks++;
    return block[2] === 'bin'
      ? send(res, 200, 'application/octet-stream', [headerAt(h), body])
      : send(res, 200, 'text/plain', [Buffer.from(headerAt(h).toString('hex')), bodyHex, Buffer.from('\n')]);
  }
  if (req.url === '/rest/chaininfo.json') {
    return send(res, 200, 'application/json', [Buffer.from(JSON.stringify(answer('getblockchaininfo', [])) + '\n')]);
  }
  send(res, 404, 'text/plain', [Buffer.from('Invalid URI format\r\n')]);
}

function server(restEnabled) {
  const s = http.createServer((req, res) => {
    stats.httpRequests++;
    if (req.method === 'GET' && req.url === '/bench/stats') {
      return send(res, 200, 'application/json', [Buffer.from(JSON.stringify(stats))]);
    }
    if (req.method === 'GET' && req.url.startsWith('/rest/')) return rest(req, res, restEnabled);
    if (req.method === 'POST') return rpc(req, res);
    send(res, 405, 'text/html', []);
  });
  // Idle connections stay open longer than any pause of the benchmark, so it never measures a
  // reconnect (bitcoind closes them after rpcservertimeout, 30 s).
  s.keepAliveTimeout = 120000;
  s.headersTimeout = 121000;
  return s;
}

function listen(s) {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s.address().port));
  });
}

(async () => {
  headerAt(0);
  const restServer = server(true);
  const plainServer = server(false);
  const ports = {ready: true, rest: await listen(restServer), plain: await listen(plainServer),
    blockBytes, txBytes, txCount, tip};
  process.stdout.write(JSON.stringify(ports) + '\n');
  // The benchmark holds our stdin: when it goes, so do we.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
})().catch(e => fail(e.stack || String(e)));
