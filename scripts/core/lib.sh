# shellcheck shell=bash
# Shared functions for the scripts in scripts/core/ (a Bitcoin Core-family daemon:
# Litecoin Core 0.21 from Debian's litecoind). Source it, do not run it. The generic
# helpers (state and cache directories, locks, ports, messages) come from
# scripts/regtest/lib.sh.
#
# Layout (all outside the git tree):
#   ${DV_STATE_DIR:-<cache>/run}/core/NAME/     one node:
#       pid port auth url log data/              auth is "password" or "cookie"
#       data/core.conf                           every setting, the rpc password too
#       data/regtest/.cookie                     cookie auth: written by the daemon
#
# Secrets: the rpc password is written only to NAME/data/core.conf and NAME/url (mode
# 600) and printed only on stdout by `start` and `url`. The daemon and the cli read it
# from core.conf: it never goes on a command line nor to stderr.

# shellcheck source=scripts/regtest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../regtest/lib.sh"

# The daemon and its cli (bitcoind and bitcoin-cli take the same settings). Debian's
# /usr/bin/litecoind is a wrapper that writes ~/.litecoin/litecoin.conf before it execs the
# daemon; the nodes here have their own -conf, so run the daemon itself.
if [[ -z ${DV_CORE_DAEMON:-} && -x /usr/lib/litecoin/litecoind ]]; then
  DV_CORE_DAEMON=/usr/lib/litecoin/litecoind
fi
DV_CORE_DAEMON=${DV_CORE_DAEMON:-litecoind}
DV_CORE_CLI=${DV_CORE_CLI:-litecoin-cli}
# The daemon's process name, as /proc shows it (at most 15 characters).
DV_CORE_COMM=${DV_CORE_DAEMON##*/}
DV_CORE_COMM=${DV_CORE_COMM:0:15}
DV_CORE_ROOT=$DV_STATE_ROOT/core
# The rpc user of password auth (cookie auth uses __cookie__).
# shellcheck disable=SC2034 # used by the scripts that source this file
DV_CORE_USER=rpc
# The wallet that `mine` pays to.
# shellcheck disable=SC2034
DV_CORE_WALLET=dv

dv_core_dir() { printf '%s\n' "$DV_CORE_ROOT/$1"; }

# True while daemon PID runs: its main thread renames itself b-shutoff when it begins to
# shut down, and the daemon still flushes its chain and holds the data directory then.
dv_core_alive() { dv_pid_alive "$1" "$DV_CORE_COMM" b-shutoff; }

dv_core_need() {
  if ! command -v "$DV_CORE_DAEMON" >/dev/null 2>&1 || ! command -v "$DV_CORE_CLI" >/dev/null 2>&1; then
    dv_die "'$DV_CORE_DAEMON' and '$DV_CORE_CLI' are required but not on PATH (run scripts/core/install)"
  fi
}

# Loads the state of node NAME into DV_DIR DV_PID DV_PORT DV_AUTH.
# Returns 1 if it is not running (pid dead or missing).
dv_core_load() {
  DV_DIR=$(dv_core_dir "$1")
  DV_PID=$(dv_read "$DV_DIR/pid")
  DV_PORT=$(dv_read "$DV_DIR/port")
  # shellcheck disable=SC2034 # used by the scripts that source this file
  DV_AUTH=$(dv_read "$DV_DIR/auth")
  [[ -n $DV_PID && -n $DV_PORT ]] && dv_core_alive "$DV_PID"
}

dv_core_load_running() {
  dv_core_load "$1" ||
    dv_die "no core node named '$1' is running (start it with scripts/core/start --name $1)"
}

# The cli against the loaded node: every setting and secret comes from its core.conf.
dv_core_cli() {
  "$DV_CORE_CLI" -conf="$DV_DIR/data/core.conf" -datadir="$DV_DIR/data" \
    -rpcclienttimeout="$DV_HTTP_TIMEOUT" "$@"
}
