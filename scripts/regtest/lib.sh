# shellcheck shell=bash
# Shared functions for the scripts in scripts/regtest/. Source it, do not run it.
#
# Layout (all outside the git tree):
#   ${DV_CACHE_DIR:-$HOME/.cache/daemon-verticle}/bcoin        npm install of bcoin
#   ${DV_STATE_DIR:-<cache>/run}/NAME/                         one running node:
#       pid port wallet-port api-key url log data/
#
# Secrets: the api key is written only to NAME/api-key and NAME/url (mode 600) and
# printed only on stdout by `start` and `url`. It never goes on a command line
# (curl reads it from a process substitution, bcoin from BCOIN_API_KEY) nor to stderr.

# shellcheck disable=SC2034 # used by the scripts that source this file
DV_BCOIN_VERSION=1.0.2
# shellcheck disable=SC2034
DV_LEVELDOWN_VERSION=6.1.1
DV_PROG=${DV_PROG:-${0##*/}}

dv_abs() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

if [[ -n ${DV_CACHE_DIR:-} ]]; then
  DV_CACHE=$(dv_abs "$DV_CACHE_DIR")
else
  DV_CACHE=${HOME:?HOME is not set; set DV_CACHE_DIR}/.cache/daemon-verticle
fi
DV_BCOIN_HOME=$DV_CACHE/bcoin
# shellcheck disable=SC2034
DV_BCOIN_BIN=$DV_BCOIN_HOME/node_modules/bcoin/bin/node
if [[ -n ${DV_STATE_DIR:-} ]]; then
  DV_STATE_ROOT=$(dv_abs "$DV_STATE_DIR")
else
  DV_STATE_ROOT=$DV_CACHE/run
fi
# Seconds one JSON-RPC / wallet call may take (mining many blocks is slow).
DV_HTTP_TIMEOUT=${DV_HTTP_TIMEOUT:-300}

dv_info() { printf '%s: %s\n' "$DV_PROG" "$*" >&2; }
dv_err() { printf '%s: error: %s\n' "$DV_PROG" "$*" >&2; }
dv_die() {
  dv_err "$*"
  exit 1
}
# Usage error: message, hint, exit 2.
dv_usage_die() {
  dv_err "$*"
  printf "Try '%s --help'.\n" "$DV_PROG" >&2
  exit 2
}

dv_need() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || dv_die "'$cmd' is required but not on PATH"
  done
}

dv_check_name() {
  [[ $1 =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$ ]] ||
    dv_usage_die "invalid node name '$1' (letters, digits, '_', '.', '-'; at most 64)"
}

dv_check_port() {
  if ! [[ $1 =~ ^[0-9]{1,5}$ ]] || ((10#$1 < 1 || 10#$1 > 65535)); then
    dv_usage_die "invalid port '$1' (1-65535)"
  fi
}

dv_state_dir() { printf '%s\n' "$DV_STATE_ROOT/$1"; }

# Reads one line from a state file, empty if missing.
dv_read() {
  local f=$1 v=
  if [[ -r $f ]]; then
    IFS= read -r v <"$f" || true
  fi
  printf '%s' "$v"
}

# Takes an exclusive lock on FILE via file descriptor 9 (held until exit).
# Children that must outlive us have to close fd 9 (9>&-).
dv_lock() {
  local file=$1 what=$2
  dv_need flock
  mkdir -p "${file%/*}"
  exec 9>"$file"
  if ! flock -n 9; then
    dv_info "waiting for $what (lock $file)"
    flock -w "${DV_LOCK_TIMEOUT:-300}" 9 || dv_die "timed out waiting for the lock $file"
  fi
}

# True if PID is a live process named one of COMM... (default bcoin: bin/node sets that
# title), which guards against a recycled PID. A zombie main thread whose other threads
# still run counts as live: the process is still exiting. No forks: it is polled in loops.
dv_pid_alive() {
  local pid=$1 stat comm state name match=0
  local -a tasks
  shift
  (($#)) || set -- bcoin
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -r /proc/$pid/stat ]] || return 0 # no procfs: trust kill -0
  { IFS= read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
  comm=${stat#*\(}
  comm=${comm%\)*}
  state=${stat##*\) }
  state=${state%% *}
  for name; do
    [[ $comm != "$name" ]] || match=1
  done
  ((match)) && [[ $state != X ]] || return 1
  [[ $state == Z ]] || return 0
  tasks=("/proc/$pid/task"/*)
  ((${#tasks[@]} > 1))
}

# True if something listens on TCP PORT (any local address).
dv_port_listening() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Htln "sport = :$port" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# Prints a TCP port that is free on 127.0.0.1 right now, not in the arguments.
# Without node, a random port below Linux's ephemeral range that nothing listens on.
dv_free_port() {
  local port tries=0
  while ((tries++ < 50)); do
    if command -v node >/dev/null 2>&1; then
      port=$(node -e '
        const s = require("net").createServer();
        s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
      ') || dv_die "could not find a free port"
    else
      port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    fi
    if [[ " $* " != *" $port "* ]] && ! dv_port_listening "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  dv_die "could not find a free port"
}

dv_random_hex() {
  od -An -tx1 -N"${1:-16}" /dev/urandom | tr -d ' \n'
}

# dv_http METHOD URL USER KEY: request body (if any) on stdin for POST/PUT.
# Prints the response body, a newline and the HTTP status as the last line.
# Returns 1 (quietly, if DV_QUIET=1) when no HTTP answer came.
dv_http() {
  local method=$1 url=$2 user=$3 key=$4 timeout=${DV_HTTP_TIMEOUT}
  local -a data=()
  [[ $method == GET ]] || data=(--data-binary @-)
  if command -v curl >/dev/null 2>&1; then
    local -a silent=(-sS)
    [[ ${DV_QUIET:-0} == 1 ]] && silent=(-s)
    curl "${silent[@]}" --noproxy '*' --max-time "$timeout" \
      -K <(printf 'user = "%s:%s"\n' "$user" "$key") \
      -H 'Content-Type: application/json' -X "$method" "${data[@]}" \
      -w '\n%{http_code}' "$url" || return 1
  else
    DV_H_METHOD=$method DV_H_URL=$url DV_H_USER=$user DV_H_KEY=$key \
      DV_H_TIMEOUT=$timeout node -e '
      const http = require("http");
      const e = process.env;
      const chunks = [];
      const send = (body) => {
        const u = new URL(e.DV_H_URL);
        const req = http.request({
          host: u.hostname, port: u.port, path: u.pathname + u.search,
          method: e.DV_H_METHOD, timeout: Number(e.DV_H_TIMEOUT) * 1000,
          auth: e.DV_H_USER + ":" + e.DV_H_KEY,
          headers: { "Content-Type": "application/json" },
        }, (res) => {
          const out = [];
          res.on("data", (c) => out.push(c));
          res.on("end", () => {
            process.stdout.write(Buffer.concat(out).toString() + "\n" + res.statusCode);
          });
        });
        req.on("timeout", () => req.destroy(new Error("timed out")));
        req.on("error", (err) => {
          if (e.DV_QUIET !== "1") console.error("http: " + err.message);
          process.exit(1);
        });
        req.end(body);
      };
      if (e.DV_H_METHOD === "GET") send();
      else {
        process.stdin.on("data", (c) => chunks.push(c));
        process.stdin.on("end", () => send(Buffer.concat(chunks)));
      }
    ' || return 1
  fi
}

# Loads the state of node NAME into DV_DIR DV_PID DV_PORT DV_WPORT DV_KEY.
# Returns 1 if it is not running (pid dead or missing).
dv_load() {
  DV_DIR=$(dv_state_dir "$1")
  DV_PID=$(dv_read "$DV_DIR/pid")
  DV_PORT=$(dv_read "$DV_DIR/port")
  DV_WPORT=$(dv_read "$DV_DIR/wallet-port")
  DV_KEY=$(dv_read "$DV_DIR/api-key")
  [[ -n $DV_PID && -n $DV_PORT && -n $DV_KEY ]] && dv_pid_alive "$DV_PID"
}

dv_load_running() {
  dv_load "$1" || dv_die "no regtest node named '$1' is running (start it with scripts/regtest/start --name $1)"
}

# dv_rpc_raw METHOD PARAMS_JSON: one JSON-RPC call to the loaded node.
# Prints the result as compact JSON. On a JSON-RPC error prints it on stderr, returns 1.
# Returns 3 if the node did not answer at all.
dv_rpc_raw() {
  local method=$1 params=${2:-[]} body resp
  body=$(printf '%s' "$params" | DV_R_METHOD=$method DV_R_PROG=$DV_PROG node -e '
      const chunks = [];
      process.stdin.on("data", (c) => chunks.push(c));
      process.stdin.on("end", () => {
        const text = Buffer.concat(chunks).toString().trim() || "[]";
        let params;
        try { params = JSON.parse(text); } catch (err) {
          console.error(process.env.DV_R_PROG + ": error: PARAMS_JSON is not valid JSON: " + err.message);
          process.exit(2);
        }
        if (!Array.isArray(params) && (params === null || typeof params !== "object")) {
          console.error(process.env.DV_R_PROG + ": error: PARAMS_JSON must be a JSON array (or object)");
          process.exit(2);
        }
        process.stdout.write(JSON.stringify(
          { jsonrpc: "1.0", id: "dv", method: process.env.DV_R_METHOD, params }));
      });
    ') || exit 2
  resp=$(printf '%s' "$body" | dv_http POST "http://127.0.0.1:$DV_PORT/" rpc "$DV_KEY") ||
    return 3
  printf '%s' "$resp" | node -e '
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => {
      const all = Buffer.concat(chunks).toString();
      const i = all.lastIndexOf("\n");
      const status = all.slice(i + 1), body = all.slice(0, i);
      let msg;
      try { msg = JSON.parse(body); } catch (err) {
        if (status === "401") console.error("HTTP 401: wrong api key");
        else console.error("HTTP " + status + ", not JSON: " + body.slice(0, 500));
        process.exit(1);
      }
      if (msg && msg.error != null) {
        console.error(JSON.stringify(msg.error));
        process.exit(1);
      }
      if (!msg || !("result" in msg)) {
        console.error("HTTP " + status + ", no result: " + body.slice(0, 500));
        process.exit(1);
      }
      console.log(JSON.stringify(msg.result));
    });
  '
}

# dv_wallet METHOD PATH [BODY_JSON]: one call to the wallet HTTP server of the loaded
# node. Prints the JSON body; HTTP status other than 200 prints the body on stderr, returns 1.
dv_wallet() {
  local method=$1 path=$2 body=${3:-} resp
  resp=$(printf '%s' "$body" | dv_http "$method" "http://127.0.0.1:$DV_WPORT$path" wallet "$DV_KEY") ||
    return 3
  printf '%s' "$resp" | node -e '
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => {
      const all = Buffer.concat(chunks).toString();
      const i = all.lastIndexOf("\n");
      const status = all.slice(i + 1), body = all.slice(0, i);
      if (status !== "200") {
        console.error("wallet HTTP " + status + ": " + (body.slice(0, 1000) || "(no body)"));
        process.exit(1);
      }
      process.stdout.write(body + "\n");
    });
  '
}

# Prints field FIELD (a top-level key) of the JSON object on stdin.
dv_json_field() {
  DV_J_FIELD=$1 node -e '
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => {
      const v = JSON.parse(Buffer.concat(chunks).toString())[process.env.DV_J_FIELD];
      if (v === undefined || v === null) process.exit(1);
      console.log(typeof v === "string" ? v : JSON.stringify(v));
    });
  '
}

# Fails unless option $1 has a value $2 (not another option).
dv_has_value() {
  [[ $# -ge 2 && -n $2 && $2 != --* ]] || dv_usage_die "option $1 needs a value"
}
