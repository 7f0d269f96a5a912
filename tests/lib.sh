# lib.sh: helpers for the daemon-level shell tests (sourced, bash).
#
# Every daemon NAME gets its own files under the work directory $W:
#   database  $W/NAME/db/sectun.db   (so device.key and the lock are there too)
#   socket    $W/NAME.sock            (override: SOCK[NAME]=PATH before start)
#   pid file  $W/NAME.pid
# Every daemon started here is killed when the script exits.
#
#   start_daemon NAME [ARGS...]  starts sectund detached; returns its status
#                                (it returns only once the daemon is ready)
#   cli NAME ARGS...             runs sectun on NAME's socket
#   stop_daemon NAME             SIGTERM, waits up to 5 s for it to be gone
#   daemon_pid NAME              the pid recorded at start
#   check DESC CMD...            passes when CMD exits 0
#   check_out DESC EXPECTED CMD... passes when CMD's stdout is EXPECTED
#   pass DESC / fail DESC [WHY]  record a result computed by the caller
#   summary                      prints "N passed, N failed" and exits

: "${top_builddir:?top_builddir must be set (run from make check)}"
: "${top_srcdir:=$top_builddir}"

SECTUND=$top_builddir/daemon/sectund
SECTUN=$top_builddir/cli/sectun
if [ ! -x "$SECTUND" ] || [ ! -x "$SECTUN" ]; then
	echo "# $SECTUND or $SECTUN not built"
	exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "# these tests run as root"
	exit 77
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/sectun-test.XXXXXX") || exit 99
NPASS=0
NFAIL=0
declare -A SOCK=()	# NAME -> socket path override
declare -A DPID=()	# NAME -> pid of the daemon
OWNED_PIDS=""		# every daemon pid ever started here

# Only signal a pid that is still one of our sectund processes.
_is_sectund() {
	[ -n "$1" ] && [ -r "/proc/$1/comm" ] &&
	    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = sectund ]
}

_cleanup() {
	local rc=$? p f
	# and any daemon a pid file of ours names, if it runs on our files
	for f in "$W"/*.pid; do
		[ -r "$f" ] || continue
		p=$(cat "$f" 2>/dev/null)
		_is_sectund "$p" &&
		    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$W/" &&
		    OWNED_PIDS="$OWNED_PIDS $p"
	done
	for p in $OWNED_PIDS; do
		_is_sectund "$p" && kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$W"
	exit "$rc"
}
trap _cleanup EXIT
trap 'exit 1' INT TERM HUP

own_pid() {
	OWNED_PIDS="$OWNED_PIDS $1"
}

sock_of() {
	echo "${SOCK[$1]:-$W/$1.sock}"
}

daemon_pid() {
	echo "${DPID[$1]:-}"
}

start_daemon() {
	local name=$1 rc pid
	shift
	mkdir -p "$W/$name"
	timeout 30 "$SECTUND" --no-kernel --db "$W/$name/db/sectun.db" \
	    --socket "$(sock_of "$name")" --pidfile "$W/$name.pid" \
	    --hostname "$name" "$@" </dev/null >"$W/$name.out" 2>"$W/$name.err"
	rc=$?
	if [ "$rc" = 0 ] && pid=$(cat "$W/$name.pid" 2>/dev/null); then
		DPID[$name]=$pid
		own_pid "$pid"
	fi
	return "$rc"
}

cli() {
	local name=$1
	shift
	timeout 30 "$SECTUN" --socket "$(sock_of "$name")" "$@"
}

# Waits until pid $1 is gone, at most $2 tenths of a second.
wait_gone() {
	local i=0
	while kill -0 "$1" 2>/dev/null; do
		[ "$i" -ge "$2" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# Waits until path $1 is a socket, at most $2 tenths of a second.
wait_socket() {
	local i=0
	while [ ! -S "$1" ]; do
		[ "$i" -ge "$2" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

stop_daemon() {
	local pid=${DPID[$1]:-}
	[ -n "$pid" ] || return 1
	_is_sectund "$pid" || return 1
	kill -TERM "$pid" || return 1
	wait_gone "$pid" 50
}

pass() {
	NPASS=$((NPASS + 1))
	echo "ok - $1"
}

fail() {
	NFAIL=$((NFAIL + 1))
	echo "not ok - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'
	return 0
}

# CMD runs in this shell (not a subshell): start_daemon's records survive.
check() {
	local desc=$1 rc
	shift
	"$@" >"$W/check.out" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		pass "$desc"
	else
		fail "$desc" "exit $rc: $(cat "$W/check.out")"
	fi
}

check_out() {
	local desc=$1 expected=$2 out rc
	shift 2
	out=$("$@" 2>"$W/check_out.err")
	rc=$?
	if [ "$out" = "$expected" ]; then
		pass "$desc"
	else
		fail "$desc" "$(printf 'exit %s\nexpected:\n%s\ngot:\n%s\nstderr:\n%s' \
		    "$rc" "$expected" "$out" "$(cat "$W/check_out.err")")"
	fi
}

summary() {
	echo "$NPASS passed, $NFAIL failed"
	[ "$NFAIL" = 0 ] && exit 0
	exit 1
}
