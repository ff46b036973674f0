#!/usr/bin/env node
// The transport limit for scripts/bench: a keep-alive HTTP client that sends the requests the
// DaemonVerticle benchmark makes and reads and drops the reply bytes (no JSON parsing, no hex
// decoding), so its figures are what the wire to the fake daemon allows, nothing more.
// It parses only what it needs to know the next request: the hashes of a getblockhash batch,
// and once, untimed, the txids of a verbose getblock.
//
//   node wire-client.js --port P [--block-bytes B] [--user bench] [--password bench]
//
// Then it reads commands on stdin, one a line, "MODE COUNT", makes one pass of COUNT units and
// prints one JSON line {"mode","count","seconds","units"}; it exits when stdin closes. The
// benchmark keeps it running and interleaves its passes with the service's, so both meet the
// same load of the machine. MODE, one batch or round at a time as the event-bus consumer does:
//   rpc-blocks  per 10 blocks: a getblockhash batch, then a getblock HASH false batch; units = block bytes
//   rest-blocks per 10 blocks: a getblockhash batch, then 10 GET /rest/block/HASH.bin in flight
//   rpc-blocks2, rest-blocks2  the same rounds, two in flight
//   txs         getrawtransaction batches of 100 (txids of block 0, cycled); units = transactions
//   height      getblockcount calls, 10 in flight; units = calls
// "In flight" means the whole pass: the next request (or round) goes out as one ends, as the
// service's load does (Workloads.rounds).
'use strict';
const http = require('http');

const {values: opts, positive, fail} = require('./options')('wire-client',
  {port: null, 'block-bytes': '1000000', user: 'bench', password: 'bench'});
const port = positive(opts.port, 'port');
const blockBytes = positive(opts['block-bytes'], 'block-bytes');
const auth = 'Basic ' + Buffer.from(opts.user + ':' + opts.password).toString('base64');
const BLOCK_BATCH = 10;
const TX_BATCH = 100;
const IN_FLIGHT = 10;
// Enough sockets for every request in flight (two rounds of 10 REST blocks), each kept open
// between passes.
const agent = new http.Agent({keepAlive: true, maxSockets: 2 * IN_FLIGHT, keepAliveMsecs: 60000});

// One request; resolves with the reply's length, or with its text when keep is set.
function request(method, path, body, keep) {
  return new Promise((resolve, reject) => {
    const headers = method === 'POST' ? {'Content-Type': 'application/json', Authorization: auth} : {};
    const req = http.request({host: '127.0.0.1', port, method, path, agent, headers}, res => {
      let length = 0;
      const kept = [];
      res.on('data', chunk => { length += chunk.length; if (keep) kept.push(chunk); });
      res.on('end', () => res.statusCode === 200 ? resolve(keep ? Buffer.concat(kept).toString() : length)
        : reject(new Error(method + ' ' + path + ' answered HTTP ' + res.statusCode)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
const batchOf = (method, paramsList) =>
  JSON.stringify(paramsList.map((params, id) => ({jsonrpc: '1.0', method, params, id})));
const results = text => JSON.parse(text).map(r => {
  if (r.error) throw new Error('daemon error ' + JSON.stringify(r.error));
  return r.result;
});

async function blockHashes(first, n) {
  return results(await request('POST', '/', batchOf('getblockhash', Array.from({length: n}, (_, i) => [first + i])), true));
}

// Sanity only: a reply shorter than the blocks it must carry means the wrong thing was measured.
function expectAtLeast(got, want, what) {
  if (got < want) throw new Error(what + ': ' + got + ' bytes, expected at least ' + want);
}

// Rounds of 10 blocks, inFlight of them at a time the whole pass.
async function blockRounds(count, inFlight, round) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const first = next;
      next += BLOCK_BATCH;
      await round(first, Math.min(BLOCK_BATCH, count - first));
    }
  };
  await Promise.all(Array.from({length: Math.min(inFlight, Math.ceil(count / BLOCK_BATCH))}, worker));
  return count * blockBytes;
}
async function rpcRound(first, n) {
  const hashes = await blockHashes(first, n);
  const got = await request('POST', '/', batchOf('getblock', hashes.map(h => [h, false])));
  expectAtLeast(got, 2 * blockBytes * hashes.length, 'getblock batch');
}
async function restRound(first, n) {
  const hashes = await blockHashes(first, n);
  const got = await Promise.all(hashes.map(h => request('GET', '/rest/block/' + h + '.bin')));
  got.forEach(n => expectAtLeast(n, blockBytes, 'REST block'));
}

const passes = {
  'rpc-blocks': count => blockRounds(count, 1, rpcRound),
  'rest-blocks': count => blockRounds(count, 1, restRound),
  'rpc-blocks2': count => blockRounds(count, 2, rpcRound),
  'rest-blocks2': count => blockRounds(count, 2, restRound),
  async txs(count) {
    for (let done = 0; done < count; done += TX_BATCH) {
      const n = Math.min(TX_BATCH, count - done);
      const got = await request('POST', '/', batchOf('getrawtransaction',
        Array.from({length: n}, (_, i) => [txids[(done + i) % txids.length], 0])));
      expectAtLeast(got, n * 16, 'getrawtransaction batch');
    }
    return count;
  },
  async height(count) {
    let started = 0;
    const worker = async () => {
      while (started < count) {
        started++;
        await request('POST', '/', '{"jsonrpc":"1.0","method":"getblockcount","params":[],"id":1}');
      }
    };
    await Promise.all(Array.from({length: Math.min(IN_FLIGHT, count)}, worker));
    return count;
  },
};

// Block 0's txids, fetched by the first txs command before its clock starts.
let txids = null;
async function blockTxids() {
  const [hash] = await blockHashes(0, 1);
  return results(await request('POST', '/', batchOf('getblock', [[hash, 1]]), true))[0].tx;
}

async function command(line) {
  const [mode, countText] = line.trim().split(/\s+/);
  const pass = passes[mode];
  if (!pass) throw new Error('unknown mode ' + mode + ': one of ' + Object.keys(passes).join(', '));
  const count = positive(countText, 'count');
  if (mode === 'txs' && txids === null) txids = await blockTxids();
  const start = process.hrtime.bigint();
  const units = await pass(count);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({mode, count, seconds, units}) + '\n');
}

// Commands run one after the other, in the order they came.
let queue = Promise.resolve();
require('readline').createInterface({input: process.stdin}).on('line', line => {
  if (line.trim()) queue = queue.then(() => command(line)).catch(e => fail(e.stack || String(e)));
}).on('close', () => queue.then(() => { agent.destroy(); process.exit(0); }));
