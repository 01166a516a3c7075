# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers of the integration tests; sourced, not run.
#
# Every test gets its own temporary directory, EAL file prefix and control
# socket, so tests can run side by side. Daemons are started in the
# background and waited for by polling nfvctl; everything a test creates is
# removed by the EXIT trap that nfv_init installs (tests add their own steps
# with nfv_on_exit).
#
# Locations come from the environment that tests/integration/meson.build
# sets (NFVSWITCH, NFVCTL, PYTHON); run by hand they default to build/ of
# this work tree.

# shellcheck disable=SC2034  # variables for the tests that source this
# shellcheck disable=SC2153  # SOCK is set by the test
set -euo pipefail

NFV_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NFV_SOURCE_ROOT=${NFV_SOURCE_ROOT:-$(cd "$NFV_TEST_DIR/../.." && pwd)}
NFV_BUILD_ROOT=${NFV_BUILD_ROOT:-$NFV_SOURCE_ROOT/build}
NFVSWITCH=${NFVSWITCH:-$NFV_BUILD_ROOT/nfvswitch}
NFVCTL=${NFVCTL:-$NFV_BUILD_ROOT/nfvctl}
# Not the first python3 on PATH: Debian's, which has scapy.
PYTHON=${PYTHON:-/usr/bin/python3}
HELPER="$NFV_TEST_DIR/nfvtest.py"

NFV_TEST_NAME=$(basename "$0" .sh)
NFV_SKIP=77
NFV_CHECKS=0
NFV_EXIT_STEPS=()
NFV_DAEMON_PIDS=()
NFV_PREFIXES=()

# Tries (of NFV_POLL_INTERVAL seconds each) before a wait gives up.
NFV_POLL_TRIES=${NFV_POLL_TRIES:-150}
NFV_POLL_INTERVAL=0.1

log() {
    printf '%s: %s\n' "$NFV_TEST_NAME" "$*"
}

# Prints the logs of every daemon this test started (on failure).
nfv_dump_logs() {
    local f
    for f in "$TMPD"/*.log; do
        [ -f "$f" ] || continue
        echo "----- $(basename "$f") (last 40 lines) -----"
        tail -n 40 "$f"
    done
}

# Reports a failed check and stops the test.
fail() {
    printf '%s: FAIL: %s\n' "$NFV_TEST_NAME" "$*" >&2
    nfv_dump_logs >&2 || true
    exit 1
}

skip() {
    printf '%s: SKIP: %s\n' "$NFV_TEST_NAME" "$*"
    exit "$NFV_SKIP"
}

nfv_on_exit() {
    NFV_EXIT_STEPS+=("$*")
}

nfv_cleanup() {
    local rc=$? pid i prefix
    set +e
    # Daemons first: the steps (netns, links) want them gone.
    for pid in "${NFV_DAEMON_PIDS[@]}"; do
        nfv_kill_daemon "$pid"
    done
    for ((i = ${#NFV_EXIT_STEPS[@]} - 1; i >= 0; i--)); do
        eval "${NFV_EXIT_STEPS[$i]}" >/dev/null 2>&1
    done
    for prefix in "${NFV_PREFIXES[@]}"; do
        # EAL's runtime directory of that prefix (root or user).
        rm -rf "$(nfv_eal_rundir "$prefix")"
    done
    if [ -n "${TMPD:-}" ] && [ -d "$TMPD" ]; then
        if [ "$rc" -ne 0 ] && [ "$rc" -ne "$NFV_SKIP" ] && [ -n "${NFV_KEEP_TMP:-}" ]; then
            echo "$NFV_TEST_NAME: keeping $TMPD" >&2
        else
            rm -rf "$TMPD"
        fi
    fi
    if [ "$rc" -eq 0 ]; then
        log "PASS ($NFV_CHECKS checks)"
    fi
    exit "$rc"
}

# Sets up the test: checks the binaries, makes TMPD, installs the trap.
nfv_init() {
    [ -x "$NFVSWITCH" ] || fail "no nfvswitch binary at $NFVSWITCH (build first)"
    [ -x "$NFVCTL" ] || fail "no nfvctl binary at $NFVCTL (build first)"
    [ -x "$PYTHON" ] || fail "no python at $PYTHON"
    TMPD=$(mktemp -d "${TMPDIR:-/tmp}/nfv-$NFV_TEST_NAME.XXXXXX")
    trap nfv_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# Sets NFV_PREFIX to a new EAL file prefix unique to this run and to NAME
# (removed at exit, with EAL's runtime directory of it).
nfv_prefix() {      # NAME
    NFV_PREFIX="nfvt-$NFV_TEST_NAME-$$-$1"
    NFV_PREFIXES+=("$NFV_PREFIX")
}

# EAL's runtime directory for file prefix $1.
nfv_eal_rundir() {
    if [ "$(id -u)" -eq 0 ]; then
        echo "/var/run/dpdk/$1"
    else
        echo "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$1"
    fi
}

# Sets NFV_EAL to the EAL arguments of a test daemon with file prefix $1.
nfv_eal_args() {
    # shellcheck disable=SC2054  # "-l 0,1" is one argument
    NFV_EAL=(--no-huge -m 256 --no-pci -l 0,1 --file-prefix "$1" "--log-level=lib.*:error")
}

# The same as a JSON array, for a config's "eal".
nfv_eal_json() {
    local a out=""
    nfv_eal_args "$1"
    for a in "${NFV_EAL[@]}"; do
        [ -z "$out" ] || out+=", "
        out+="\"$a\""
    done
    echo "[$out]"
}

# --- running commands and checking results ---------------------------------

# Runs "$@" and sets OUT (stdout), ERR (stderr) and RC; never fails itself.
run() {
    local errf="$TMPD/.stderr.$BASHPID"
    OUT=$("$@" 2>"$errf") && RC=0 || RC=$?
    ERR=$(cat "$errf")
    rm -f "$errf"
}

pass() {
    NFV_CHECKS=$((NFV_CHECKS + 1))
}

assert_eq() {       # DESCRIPTION ACTUAL EXPECTED
    [ "$2" == "$3" ] || fail "$1: got '$2', expected '$3'"
    pass
}

assert_ne() {       # DESCRIPTION ACTUAL UNEXPECTED
    [ "$2" != "$3" ] || fail "$1: got '$2'"
    pass
}

assert_contains() { # DESCRIPTION HAYSTACK NEEDLE
    case "$2" in
        *"$3"*) pass ;;
        *) fail "$1: '$3' not in: $2" ;;
    esac
}

assert_not_contains() {
    case "$2" in
        *"$3"*) fail "$1: '$3' unexpectedly in: $2" ;;
        *) pass ;;
    esac
}

assert_ge() {       # DESCRIPTION ACTUAL MIN
    [ "$2" -ge "$3" ] 2>/dev/null || fail "$1: got '$2', expected >= $3"
    pass
}

assert_le() {       # DESCRIPTION ACTUAL MAX
    [ "$2" -le "$3" ] 2>/dev/null || fail "$1: got '$2', expected <= $3"
    pass
}

assert_gt() {
    [ "$2" -gt "$3" ] 2>/dev/null || fail "$1: got '$2', expected > $3"
    pass
}

# Asserts the last run() succeeded with nothing on stderr.
assert_ok() {       # DESCRIPTION
    [ "$RC" -eq 0 ] || fail "$1: exit $RC, stderr: $ERR, stdout: $OUT"
    [ -z "$ERR" ] || fail "$1: unexpected stderr: $ERR"
    pass
}

# Asserts the last run() exited 1 with exactly one stderr line that starts
# with PREFIX ("nfvctl: ") and contains each NEEDLE.
assert_err() {      # DESCRIPTION PREFIX NEEDLE...
    local desc=$1 prefix=$2 n
    shift 2
    [ "$RC" -eq 1 ] || fail "$desc: exit $RC, expected 1 (stderr: $ERR, stdout: $OUT)"
    n=$(printf '%s\n' "$ERR" | grep -c '' || true)
    { [ -n "$ERR" ] && [ "$n" -eq 1 ]; } || fail "$desc: expected one line on stderr, got $n: $ERR"
    case "$ERR" in
        "$prefix"*) ;;
        *) fail "$desc: stderr does not start with '$prefix': $ERR" ;;
    esac
    while [ $# -gt 0 ]; do
        assert_contains "$desc" "$ERR" "$1"
        shift
    done
    pass
}

# Evaluates the Python expression $2 on the JSON text $1 (bound to j) and
# prints the result: strings raw, booleans as true/false, others as JSON.
jget() {
    printf '%s' "$1" | "$PYTHON" "$HELPER" json "$2" ||
        fail "cannot evaluate $2 on: $1"
}

# --- the daemon ------------------------------------------------------------

# nfvctl on socket $SOCK.
ctl() {
    run "$NFVCTL" -s "$SOCK" "$@"
}

# nfvctl --json on $SOCK; asserts success and leaves the result in OUT.
ctlj() {
    run "$NFVCTL" -s "$SOCK" --json "$@"
    assert_ok "nfvctl --json $*"
}

# Starts nfvswitch in the background with the given arguments; its output
# goes to $TMPD/NAME.log. Sets DAEMON_PID.
nfv_start() {       # NAME ARGS...
    local name=$1
    shift
    "$NFVSWITCH" "$@" >"$TMPD/$name.log" 2>&1 &
    DAEMON_PID=$!
    NFV_DAEMON_PIDS+=("$DAEMON_PID")
}

# Polls "nfvctl -s SOCKET version" until it answers; fails if the daemon
# DAEMON_PID exits first or the tries run out.
nfv_wait_ready() {  # SOCKET
    local sock=$1 i
    for ((i = 0; i < NFV_POLL_TRIES; i++)); do
        if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
            local rc=0
            wait "$DAEMON_PID" || rc=$?
            fail "nfvswitch exited with $rc before answering on $sock"
        fi
        if "$NFVCTL" -s "$sock" version >/dev/null 2>&1; then
            return 0
        fi
        sleep "$NFV_POLL_INTERVAL"
    done
    fail "nfvswitch did not answer on $sock after $NFV_POLL_TRIES tries"
}

# Waits for process $1 to exit (bounded) and sets EXIT_RC to its status.
nfv_wait_exit() {   # PID [TRIES]
    local pid=$1 tries=${2:-$NFV_POLL_TRIES} i
    for ((i = 0; i < tries; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep "$NFV_POLL_INTERVAL"
    done
    kill -0 "$pid" 2>/dev/null && fail "process $pid did not exit"
    EXIT_RC=0
    wait "$pid" || EXIT_RC=$?
    nfv_forget_pid "$pid"
}

nfv_forget_pid() {
    local p keep=()
    for p in "${NFV_DAEMON_PIDS[@]}"; do
        [ "$p" == "$1" ] || keep+=("$p")
    done
    NFV_DAEMON_PIDS=("${keep[@]+"${keep[@]}"}")
}

# Stops daemon $1 if it still runs: SIGTERM, then SIGKILL after 5 s.
nfv_kill_daemon() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# Polls until the shell command $2 succeeds; fails with $1 otherwise.
wait_until() {      # DESCRIPTION COMMAND
    local i
    for ((i = 0; i < NFV_POLL_TRIES; i++)); do
        if eval "$2"; then
            pass
            return 0
        fi
        sleep "$NFV_POLL_INTERVAL"
    done
    fail "timed out waiting for: $1"
}
