#!/bin/bash
# tunnels100.sh: how long two routers take to bring up N (100) IPsec
# tunnels with IKEv2, sectund on both sides against strongSwan's charon on
# both sides, in the network lab (tests/lab: Debian's kernel under qemu TCG).
# Prints figures, asserts nothing. Run as root, on a quiet machine.
#
#   bench/tunnels100.sh [--build DIR] [-n N] [--pairs K] [--limit SECONDS] [--no-loop] [--keep]
#
# --build: the build whose sectund and sectun run (default build/werror).
# -n: the number of tunnels (default 100). --pairs: spread them over K pairs
# of transport addresses, one IKE SA each (default 1: all over one IKE SA).
# --limit: how long each of the three runs may take before it is given up
# (default 120 s). --no-loop: skip strongSwan run (b), N separate swanctl
# --initiate calls. --keep: keep the lab's output even when all went well.
# The guest part, what is measured and how: bench/tunnels100-lab.sh.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build/werror
n=100
pairs=1
limit=120
loop=1
keep=0
usage() {
	sed -n '7p' "$0" | sed 's/^#   /usage: /' >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
	-n) [ $# -ge 2 ] || usage; n=$2; shift 2 ;;
	--pairs) [ $# -ge 2 ] || usage; pairs=$2; shift 2 ;;
	--limit) [ $# -ge 2 ] || usage; limit=$2; shift 2 ;;
	--no-loop) loop=0; shift ;;
	--keep) keep=1; shift ;;
	*) usage ;;
	esac
done
case $n$pairs$limit in *[!0-9]*) usage ;; esac
if [ "$n" -lt 1 ] || [ "$n" -gt 250 ]; then
	echo "tunnels100: -n takes 1 to 250" >&2
	exit 2
fi
if [ "$pairs" -lt 1 ] || [ "$pairs" -gt 100 ] || [ "$pairs" -gt "$n" ]; then
	echo "tunnels100: --pairs takes 1 to 100, at most N" >&2
	exit 2
fi

# The lab runs scenario scripts by path and passes no environment: a
# one-line scenario in a temporary directory (the guest sees the host's
# /tmp) sets the knobs and runs the guest part.
tmp=$(mktemp -d /tmp/sectun-bench.XXXXXX)
cat >"$tmp/tunnels100.sh" <<EOF
#!/bin/bash
export BENCH_TUNNELS=$n BENCH_PAIRS=$pairs BENCH_LIMIT=$limit BENCH_SWAN_LOOP=$loop
exec /bin/bash $(printf '%q' "$top/bench/tunnels100-lab.sh")
EOF
# Each run takes at most $limit s, the set-up (two daemons configured with
# N tunnels, two charons started) a minute or two.
scenario_timeout=$((3 * limit + 240))
echo "tunnels100: $n tunnels; the lab takes a few minutes (at most $((scenario_timeout + 60)) s); its output: $tmp/lab.out" >&2
rc=0
SECTUN_LAB_SCENARIO_TIMEOUT=$scenario_timeout SECTUN_LAB_TIMEOUT=$((scenario_timeout + 120)) \
    "$top/tests/lab/lab.sh" --build "$build" -v "$tmp/tunnels100.sh" >"$tmp/lab.out" 2>&1 || rc=$?

# "BENCH KEY VALUE" lines from the guest, indented by lab.sh
declare -A f=()
while read -r _ k v; do
	f[$k]=$v
done < <(sed -n 's/^ *BENCH \([^ ]*\) \(.*\)$/BENCH \1 \2/p' "$tmp/lab.out")

if [ -z "${f[tunnels]:-}" ]; then
	echo "tunnels100: the lab run did not finish (lab.sh exit $rc); its output:" >&2
	cat "$tmp/lab.out" >&2
	echo "tunnels100: kept in $tmp" >&2
	exit 1
fi

# KEY: seconds, or "-" (not measured) / "n/N" (only n up within the limit)
col_s() {
	local v=${f[$1.up_us]:-}
	case $v in
	'') echo '-' ;;
	none) echo "${f[$1.got]:-0}/$n" ;;
	*) awk -v u="$v" 'BEGIN { printf "%.1f", u / 1e6 }' ;;
	esac
}
col_ms() {
	local v=${f[$1.per_tunnel_us]:-}
	case $v in
	'') echo '-' ;;
	*) awk -v u="$v" 'BEGIN { printf "%.0f", u / 1e3 }' ;;
	esac
}
col_batch() {
	local v=${f[$1.batch_us]:-}
	if [ -n "$v" ]; then
		awk -v u="$v" 'BEGIN { printf "%.1f", u / 1e6 }'
	else
		echo '-'
	fi
}
col_ike() {
	echo "${f[$1.ike_sas_$2]:--}/${f[$1.ike_sas_$3]:--}"
}

sides="sectund swan swanloop"
label() {
	case $1 in
	sectund) echo sectund ;;
	swan) echo strongSwan ;;
	swanloop) echo 'strongSwan (b)' ;;
	esac
}
[ "${f[pairs]:-1}" = 1 ] && over="one IKE SA" || over="${f[pairs]} IKE SAs (--pairs)"
echo
printf '%-30s %10s %12s %16s\n' '' sectund strongSwan 'strongSwan (b)'
printf '%-30s %10s %12s %16s\n' "$n tunnels up (s)" "$(col_s sectund)" "$(col_s swan)" "$(col_s swanloop)"
printf '%-30s %10s %12s %16s\n' 'per tunnel (ms)' "$(col_ms sectund)" "$(col_ms swan)" "$(col_ms swanloop)"
printf '%-30s %10s %12s %16s\n' 'of which the trigger took (s)' "$(col_batch sectund)" "$(col_batch swan)" "$(col_batch swanloop)"
printf '%-30s %10s %12s %16s\n' 'IKE SAs at the end (R1/R2)' "$(col_ike sectund R1 R2)" "$(col_ike swan S1 S2)" "$(col_ike swanloop S1 S2)"
for k in $sides; do
	[ "${f[$k.up_us]:-}" = none ] || continue
	awk -v l="$(label "$k")" -v g="${f[$k.got]:-0}" -v n="$n" -v u="${f[$k.got_us]:-0}" \
	    'BEGIN { printf "\n%s: only %d of %d tunnels up (no more after %.1f s):\n", l, g, n, u / 1e6 }'
done
# the guest's words on what did not come up
sed -n 's/^    \(# .*\(is not up\|Down because\|Last negotiation error\|NOT all up\)\)/  \1/p' \
    "$tmp/lab.out" | head -n 20
cat <<EOF

Measured: from the trigger until both kernels hold $((2 * n)) negotiated SAs
(polled 4 times a second); $n tunnels over $over.
Trigger: sectund: one "sectun < FILE" on R1, "no shutdown" on each tunnel
           ($n commits; R2's tunnels are responder-only)
         strongSwan: one "swanctl --load-conns" on R1, every child
           start_action = start
         strongSwan (b): $n x "swanctl --initiate --child tN --timeout -1"
           (mostly swanctl's own start-up, one after the other)
Both: IKE aes256-sha256-modp2048, ESP AES-GCM-128 without PFS, FQDN ids, PSK.
qemu TCG emulation (${f[cpus]:-?} vCPUs, a shared host): the figures are
relative, not what real hardware does.
EOF
if [ "$keep" = 1 ] || [ "$rc" != 0 ] || grep -q 'up_us none' "$tmp/lab.out"; then
	echo "lab output (lab.sh exit $rc): $tmp/lab.out"
else
	rm -rf "$tmp"
fi
