# shellcheck shell=bash
# lib.sh: helpers for lab scenarios (sourced by bash, inside the lab's guest;
# tests/lab/guest.sh runs each scenario with a fresh /run, in its own mount
# and pid namespaces, so nothing here needs undoing).
#
# Routers are network namespaces; every sectund gets its files under
# /run/sectun-R/ (db/sectun.db, cli.sock, pid, log).
#
#   router R                      netns R: lo up, forwarding, l3mdev_accept
#   wire R1 IF1 R2 IF2            a veth pair R1:IF1 <-> R2:IF2, both up
#   sectund_start R [ARGS...]     sectund -f in R, background; returns once
#                                 its socket answers (fails, with its log,
#                                 if it does not within 20 s)
#   sectund_kill R [SIG]          signals R's sectund (TERM), waits 10 s
#   cli R 'CMD' ['CMD'...]        sectun -c CMD -c CMD ... on R's daemon
#   link_cut R IF                 R drops everything arriving on IF (an
#                                 nftables netdev ingress table lab_cut_IF
#                                 with a counter; the link stays up)
#   link_restore R IF             undoes link_cut
#   detail_has R TUNNEL REGEX     show ipsec tunnel ipsec:TUNNEL detail matches
#   check DESC CMD...             passes when CMD exits 0
#   check_output DESC REGEX CMD...  passes when CMD exits 0 and its output
#                                 (stdout and stderr) matches REGEX (grep -E)
#   check_error DESC REGEX CMD... passes when CMD fails and its output
#                                 matches REGEX ('' matches anything)
#   wait_for SECONDS DESC CMD...  passes once CMD exits 0, polled 5 times a
#                                 second
#   done_checks                   prints the count; exits 1 if a check failed
#
# A check prints "ok - DESC", or "not ok - DESC" and the command's output;
# it returns 0 either way, so the scenario goes on. A scenario passes if
# and only if it exits 0: end it with done_checks. CMD may be a function.

if [ "${SECTUN_LAB:-}" != 1 ]; then
	echo "lab scenarios run inside the lab's guest: tests/lab/lab.sh $(basename "$0" .sh)" >&2
	exit 2
fi
: "${SECTUN_BUILD:?}" "${SECTUN_SRC:?}"
SECTUND=$SECTUN_BUILD/daemon/sectund
SECTUN=$SECTUN_BUILD/cli/sectun
CHECKS_PASSED=0
CHECKS_FAILED=0
declare -A SECTUND_PID=()
# Where a scenario stopped, when set -e stops it.
trap 'echo "# stopped: line $LINENO: $BASH_COMMAND (exit $?)"' ERR

router() {
	local r=$1
	ip netns add "$r"
	ip -n "$r" link set lo up
	ip netns exec "$r" sysctl -q -w net.ipv4.ip_forward=1 \
	    net.ipv6.conf.all.forwarding=1 net.ipv4.udp_l3mdev_accept=1 \
	    net.ipv4.tcp_l3mdev_accept=1 >/dev/null
}

wire() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

_dir() {
	echo "/run/sectun-$1"
}

sectund_start() {
	local r=$1 d
	shift
	d=$(_dir "$r")
	mkdir -p "$d/db"
	ip netns exec "$r" "$SECTUND" -f --db "$d/db/sectun.db" \
	    --socket "$d/cli.sock" --pidfile "$d/pid" --hostname "$r" "$@" \
	    </dev/null >>"$d/log" 2>&1 &
	SECTUND_PID[$r]=$!
	for _ in $(seq 100); do
		if [ -S "$d/cli.sock" ] &&
		    ip netns exec "$r" "$SECTUN" --socket "$d/cli.sock" </dev/null >/dev/null 2>&1; then
			return 0
		fi
		if ! kill -0 "${SECTUND_PID[$r]}" 2>/dev/null; then
			echo "# sectund in $r exited at start; its log:"
			sed 's/^/#   /' "$d/log"
			return 1
		fi
		sleep 0.2
	done
	echo "# sectund in $r does not answer on $d/cli.sock after 20 s; its log:"
	sed 's/^/#   /' "$d/log"
	return 1
}

sectund_kill() {
	local r=$1 sig=${2:-TERM} pid=${SECTUND_PID[$1]:-}
	[ -n "$pid" ] || { echo "# no sectund started in $r"; return 1; }
	kill -s "$sig" "$pid" || return 1
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || :; return 0; }
		sleep 0.2
	done
	echo "# sectund in $r still runs 10 s after SIG$sig"
	return 1
}

cli() {
	local r=$1 c args=()
	shift
	for c in "$@"; do
		args+=(-c "$c")
	done
	timeout 30 ip netns exec "$r" "$SECTUN" --socket "$(_dir "$r")/cli.sock" "${args[@]}"
}

link_cut() {
	ip netns exec "$1" nft -f - <<EOF
table netdev lab_cut_$2 {
	chain in {
		type filter hook ingress device "$2" priority 0; policy accept;
		counter drop
	}
}
EOF
}

link_restore() {
	ip netns exec "$1" nft delete table netdev "lab_cut_$2"
}

detail_has() {
	cli "$1" "show ipsec tunnel ipsec:$2 detail" | grep -qE -- "$3"
}

_pass() {
	CHECKS_PASSED=$((CHECKS_PASSED + 1))
	echo "ok - $1"
}

_fail() {	# DESC OUTPUT
	CHECKS_FAILED=$((CHECKS_FAILED + 1))
	echo "not ok - $1"
	[ -z "$2" ] || printf '%s\n' "$2" | sed 's/^/#   /'
}

check() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = 0 ]; then
		_pass "$desc"
	else
		_fail "$desc" "\$ $*
$out
(exit $rc)"
	fi
}

check_output() {
	local desc=$1 re=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qE -- "$re"; then
		_pass "$desc"
	else
		_fail "$desc" "\$ $*
$out
(exit $rc; expected output matching: $re)"
	fi
}

check_error() {
	local desc=$1 re=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" != 0 ] && printf '%s\n' "$out" | grep -qE -- "$re"; then
		_pass "$desc"
	else
		_fail "$desc" "\$ $*
$out
(exit $rc; expected failure, output matching: $re)"
	fi
}

wait_for() {
	local secs=$1 desc=$2 out rc end
	shift 2
	end=$(($(date +%s) + secs))
	while :; do
		rc=0
		out=$("$@" 2>&1) || rc=$?
		[ "$rc" = 0 ] && { _pass "$desc"; return 0; }
		[ "$(date +%s)" -lt "$end" ] || break
		sleep 0.2
	done
	_fail "$desc" "\$ $*
$out
(exit $rc; still failing after $secs s)"
	return 0
}

done_checks() {
	echo "# checks: $CHECKS_PASSED passed, $CHECKS_FAILED failed"
	[ "$CHECKS_FAILED" = 0 ] && exit 0
	exit 1
}
