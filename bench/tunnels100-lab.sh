#!/bin/bash
# tunnels100-lab.sh: the guest part of bench/tunnels100.sh (run by the lab:
# tests/lab/lab.sh -v bench/tunnels100-lab.sh). Brings up N tunnels (100)
# between two routers joined by a veth (192.0.2.1 -- 192.0.2.2, default VR),
# once with sectund on both sides and once with strongSwan's charon on both
# sides, and prints how long it took; asserts nothing beyond that.
#
# Both sides: FQDN identities r1/r2.example.net, one pre-shared key, IKE
# aes256-sha256-modp2048 (sectund's built-in default rule), ESP AES-GCM-128
# without PFS, tunnel N with selectors 10.1.N.0/24 (R1) <-> 10.2.N.0/24 (R2)
# and if_id N. Both daemons carry all N tunnels over one IKE SA (IKE_AUTH for
# the first, CREATE_CHILD_SA for the others). With BENCH_PAIRS=K the tunnels
# are spread round robin over K pairs of transport addresses (R1 192.0.2.1,
# .3, .5 ..., R2 .2, .4, .6 ...), one IKE SA per pair, each pair with its own
# identities (r1-pM.example.net, r2-pM.example.net), on both sides.
#
#   sectund:    R1 and R2 configured from one file each (sectun < FILE);
#               R2's tunnels "tunnel establish responder-only", R1's
#               "shutdown". Timed: one sectun < FILE on R1 doing
#               "no shutdown" on every tunnel (N commits) until both
#               kernels hold 2N SAs.
#   strongSwan: charon in S1 and S2, one connection with N children (if_id N,
#               an xfrm interface ipsecN per child made beforehand, though
#               charon needs none to install its SAs). S2 loaded beforehand.
#               Timed (a): one "swanctl --load-conns" on S1 with every child
#               start_action = start (charon initiates them all at once);
#               then everything is terminated and (b): N calls of "swanctl
#               --initiate --child tN --timeout -1" (each returns at once;
#               the figure is mostly swanctl's own start-up cost).
#
# End condition for every run: 2N negotiated SAs (with keys) in each of the
# two kernels, polled about 4 times a second (a poll is two "ip" runs).
#
# Knobs (environment): BENCH_TUNNELS (100), BENCH_PAIRS (1), BENCH_LIMIT
# (seconds each run may take, 120), BENCH_STALL (a run is given up after
# that many seconds without a new SA entry, 45), BENCH_SWAN_LOOP (1: also
# run (b)), BENCH_SIDES (which to run, "sectund strongswan"), BENCH_DEBUG
# (1: sectund with "debug ipsec ike", its logs printed at the end; slows it
# down).
#
# Output: the log, and for bench/tunnels100.sh lines "BENCH KEY VALUE".
# The lab helpers used are those of tests/lab/lib.sh and peers.sh; what they
# lack (a bulk CLI session with a long timeout, SA counts, timing) is here.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"
. "$SECTUN_SRC/tests/lab/peers.sh"

N=${BENCH_TUNNELS:-100}
PAIRS=${BENCH_PAIRS:-1}
LIMIT=${BENCH_LIMIT:-120}
STALL=${BENCH_STALL:-45}
SWAN_LOOP=${BENCH_SWAN_LOOP:-1}
SIDES=${BENCH_SIDES:-sectund strongswan}
DEBUG=${BENCH_DEBUG:-0}
PSK=sectun-bench-pre-shared-key-0123456789
W=/run/bench
mkdir -p "$W"

# ---- helpers ---------------------------------------------------------------

# microseconds since the epoch (bash's own clock: no process)
us() {
	local t=$EPOCHREALTIME
	echo "${t/./}"
}
# an interval in microseconds as seconds with one decimal
secs() {
	printf '%d.%d' "$(($1 / 1000000))" "$((($1 % 1000000) / 100000))"
}
# a sleep without a process (a read from a FIFO nobody writes)
mkfifo "$W/nap"
exec {SLEEPFD}<>"$W/nap"
nap() {
	read -r -t "$1" -u "$SLEEPFD" || :
}
# ME I: R$ME's transport address for tunnel I (pair (I-1) mod PAIRS); ME M
# with I=0: that of pair M (0-based)
addr() {
	local m=$(($2 == 0 ? ${3:-0} : ($2 - 1) % PAIRS))
	echo "192.0.2.$((2 * m + $1))"
}
# ME M: R$ME's FQDN identity on address pair M: rME.example.net, or with
# several pairs rME-pM.example.net (sectund sends INITIAL_CONTACT in every
# IKE_AUTH, and a peer receiving it deletes the other IKE SAs between the
# same two identities: with one identity, each pair's IKE SA kills the last)
ident() {
	if [ "$PAIRS" = 1 ]; then
		echo "r$1.example.net"
	else
		echo "r$1-p$2.example.net"
	fi
}
bench() {
	echo "BENCH $*"
}
mark() {
	printf '# %(%T)T %s\n' -1 "$*"
}

# R FILE: FILE's lines as typed at R's exec prompt, in one CLI session
cli_file() {
	timeout 300 ip netns exec "$1" "$SECTUN" --socket "$(_dir "$1")/cli.sock" <"$2"
}

# R: the number of SA entries in R's kernel (larval ones too), one process
sad_count() {
	local out
	out=$(ip -n "$1" xfrm state count 2>/dev/null) || { echo 0; return; }
	out=${out##*count }
	echo "${out//[^0-9]/}"
}
# R: the number of negotiated SAs (with keys) in R's kernel
sa_count() {
	local n
	n=$(ip -n "$1" xfrm state | grep -cE '^\s+(aead|enc) ') || :
	echo "${n:-0}"
}

# wait_up A B T0: polls until A's and B's kernels hold 2N negotiated SAs
# each, or LIMIT seconds from T0 (us), or STALL seconds without a change. Sets UP_US (end - T0, or empty when
# the limit passed), GOT_A, GOT_B (their last counts), A_US and B_US (when
# each got there), LAST_US (when a count last grew). Prints progress every
# 5 s.
wait_up() {
	local a=$1 b=$2 t0=$3 want=$((2 * N)) ca=0 cb=0 t next
	UP_US='' A_US='' B_US='' LAST_US=0 GOT_A=0 GOT_B=0
	next=$((t0 + 5000000))
	while :; do
		# the cheap count first; the exact one once it is high enough
		[ -n "$A_US" ] || { ca=$(sad_count "$a"); [ "$ca" -lt "$want" ] || ca=$(sa_count "$a"); }
		[ -n "$B_US" ] || { cb=$(sad_count "$b"); [ "$cb" -lt "$want" ] || cb=$(sa_count "$b"); }
		t=$(us)
		[ -n "$A_US" ] || [ "$ca" -lt "$want" ] || A_US=$((t - t0))
		[ -n "$B_US" ] || [ "$cb" -lt "$want" ] || B_US=$((t - t0))
		[ "$ca" = "$GOT_A" ] && [ "$cb" = "$GOT_B" ] || LAST_US=$((t - t0))
		GOT_A=$ca GOT_B=$cb
		if [ -n "$A_US" ] && [ -n "$B_US" ]; then
			UP_US=$((A_US > B_US ? A_US : B_US))
			return 0
		fi
		if [ "$t" -ge "$next" ]; then
			echo "#   $(secs $((t - t0))) s: $a $ca SA entries, $b $cb"
			next=$((next + 5000000))
		fi
		[ $((t - t0)) -lt $((LIMIT * 1000000)) ] || return 1
		[ $((t - t0 - LAST_US)) -lt $((STALL * 1000000)) ] || return 1
		nap 0.25
	done
}

# R: waits (20 s) for R's kernel to hold no SA
wait_empty() {
	local i
	for i in $(seq 80); do
		[ "$(sad_count "$1")" = 0 ] && return 0
		nap 0.25
	done
	echo "# $1 still has $(sad_count "$1") SAs"
	return 1
}

# KEY LABEL A B: reports a wait_up result
report() {
	local key=$1 label=$2 a=$3 b=$4
	if [ -n "$UP_US" ]; then
		mark "$label: $N tunnels up in $(secs "$UP_US") s ($a after $(secs "$A_US") s, $b after $(secs "$B_US") s)"
		bench "$key.up_us $UP_US"
		bench "$key.per_tunnel_us $((UP_US / N))"
	else
		# the exact counts (the polls' may include larval SAs of retries)
		GOT_A=$(sa_count "$a") GOT_B=$(sa_count "$b")
		mark "$label: NOT all up (limit $LIMIT s, or $STALL s without a new SA): $a $GOT_A of $((2 * N)) SAs, $b $GOT_B (no more after $(secs "$LAST_US") s)"
		bench "$key.up_us none"
		bench "$key.got $(( (GOT_A < GOT_B ? GOT_A : GOT_B) / 2 ))"
		bench "$key.got_us $LAST_US"
	fi
}

# LABEL FILE REGEX: the last lines of FILE matching REGEX, as a log excerpt
excerpt() {
	echo "# ---- $1 ----"
	grep -aE -- "$3" "$2" 2>/dev/null | tail -n 12 | sed 's/^/#   /' || :
}

# ---- sectund ---------------------------------------------------------------

# ME: R$ME's configuration, one line per command as typed
sectund_conf() {
	local me=$1 other=$((3 - $1)) i m
	echo 'configure terminal'
	[ "$PAIRS" != 1 ] || echo "ipsec local-identity fqdn $(ident "$me" 0)"
	for m in $(seq 0 $((PAIRS - 1))); do
		echo "ipsec key pre-share $(ident "$other" "$m") key $PSK"
	done
	echo 'ipsec transform-set gcm transform esp-aes128-gcm'
	for i in $(seq "$N"); do
		m=$(((i - 1) % PAIRS))
		echo "interface tunnel ipsec:t$i"
		if [ "$me" = 1 ]; then
			echo 'shutdown'
		else
			echo 'tunnel establish responder-only'
		fi
		echo "tunnel source $(addr "$me" "$i")"
		echo "tunnel destination $(addr "$other" "$i")"
		[ "$PAIRS" = 1 ] || echo "tunnel local-identity fqdn $(ident "$me" "$m")"
		echo "tunnel peer-identity fqdn $(ident "$other" "$m")"
		echo 'tunnel transform-set gcm'
		echo "tunnel local selector 10.$me.$i.0/24"
		echo "tunnel peer selector 10.$other.$i.0/24"
		echo 'exit'
	done
	echo 'end'
}

# R's tunnels that are not up, with the reason, for the first few
sectund_not_up() {
	local r=$1 t shown=0
	echo "# $r: up: $(cli "$r" 'show ipsec tunnel' | awk '$1 ~ /^ipsec:/ && $3 == "up" { printf "%s ", substr($1, 7) }')"
	for t in $(cli "$r" 'show ipsec tunnel' | awk '$1 ~ /^ipsec:/ && $3 != "up" { print $1 }'); do
		echo "# $r $t is not up:"
		cli "$r" "show ipsec tunnel $t detail" 2>&1 |
		    grep -E 'state|Down because|Negotiation|error|Error' | sed 's/^/#     /' || :
		shown=$((shown + 1))
		[ "$shown" -lt 3 ] || break
	done
}

run_sectund() {
	local r t t0 tb rc s up ikes i m
	router R1
	router R2
	wire R1 e0 R2 e0
	for m in $(seq 0 $((PAIRS - 1))); do
		ip -n R1 addr add "$(addr 1 0 "$m")/24" dev e0
		ip -n R2 addr add "$(addr 2 0 "$m")/24" dev e0
	done
	sectund_start R1
	sectund_start R2
	if [ "$DEBUG" = 1 ]; then
		cli R1 'debug ipsec ike'
		cli R2 'debug ipsec ike'
	fi
	sectund_conf 1 >"$W/R1.conf"
	sectund_conf 2 >"$W/R2.conf"
	{
		echo 'configure terminal'
		for i in $(seq "$N"); do
			printf 'interface tunnel ipsec:t%d\nno shutdown\nexit\n' "$i"
		done
		echo 'end'
	} >"$W/R1-up.conf"
	for r in R1 R2; do
		t=$(us)
		cli_file "$r" "$W/$r.conf" >"$W/$r.conf.out"
		t=$(($(us) - t))
		mark "sectund $r configured: $(wc -l <"$W/$r.conf") lines in $(secs "$t") s"
		bench "sectund.conf_$r.us $t"
	done
	cli R1 'show ipsec tunnel summary' | sed 's/^/# R1: /'
	cli R2 'show ipsec tunnel summary' | sed 's/^/# R2: /'
	nap 1
	mark "sectund: R1 brings up all $N tunnels (no shutdown, one session)"
	t0=$(us)
	cli_file R1 "$W/R1-up.conf" >/dev/null
	tb=$(($(us) - t0))
	mark "sectund: R1's batch of $((3 * N + 2)) commands took $(secs "$tb") s"
	bench "sectund.batch_us $tb"
	rc=0
	wait_up R1 R2 "$t0" || rc=$?
	report sectund "sectund" R1 R2
	for r in R1 R2; do
		s=$(cli "$r" 'show ipsec tunnel summary' 2>&1) || :
		printf '%s\n' "$s" | sed "s/^/# $r: /"
		up=$(printf '%s\n' "$s" | sed -n 's/.*up: \([0-9]*\).*/\1/p' | head -n 1)
		bench "sectund.cli_up_$r ${up:-?}"
		ikes=$(cli "$r" 'show ipsec ike-sa' 2>&1 | grep -c ' established ') || :
		echo "# $r: ${ikes:-0} established IKE SA(s)"
		bench "sectund.ike_sas_$r ${ikes:-0}"
	done
	if [ "$rc" != 0 ]; then
		sectund_not_up R1
		sectund_not_up R2
		excerpt "sectund R1 log" /run/sectun-R1/log 'IKE|tunnel|warn|error|fail'
		excerpt "sectund R2 log" /run/sectun-R2/log 'IKE|tunnel|warn|error|fail'
	fi
	sectund_kill R1 TERM || :
	sectund_kill R2 TERM || :
	mark "sectund stopped"
	if [ "$DEBUG" = 1 ]; then
		sed 's/^/# R1 log: /' /run/sectun-R1/log
		sed 's/^/# R2 log: /' /run/sectun-R2/log
	fi
}

# ---- strongSwan ------------------------------------------------------------

# ME START_ACTION: S$ME's swanctl.conf: a connection benchM per address pair
# M, with its children tI (all N children when PAIRS is 1)
swan_bench_conf() {
	local me=$1 other=$((3 - $1)) start=$2 i m
	echo "connections {"
	for m in $(seq 0 $((PAIRS - 1))); do
		cat <<EOF
  bench$m {
    version = 2
    local_addrs = $(addr "$me" 0 "$m")
    remote_addrs = $(addr "$other" 0 "$m")
    proposals = aes256-sha256-modp2048
    mobike = no
    encap = no
    local {
      auth = psk
      id = $(ident "$me" "$m")
    }
    remote {
      auth = psk
      id = $(ident "$other" "$m")
    }
    children {
EOF
		# printf, not cat: a process per child costs under TCG
		for i in $(seq $((m + 1)) "$PAIRS" "$N"); do
			printf '      t%d {\n        local_ts = 10.%d.%d.0/24\n' "$i" "$me" "$i"
			printf '        remote_ts = 10.%d.%d.0/24\n' "$other" "$i"
			printf '        esp_proposals = aes128gcm16\n'
			printf '        if_id_in = %d\n        if_id_out = %d\n' "$i" "$i"
			printf '        start_action = %s\n      }\n' "$start"
		done
		echo "    }"
		echo "  }"
	done
	echo "}"
	echo "secrets {"
	for m in $(seq 0 $((PAIRS - 1))); do
		cat <<EOF
  ike-bench$m {
    id-local = $(ident "$me" "$m")
    id-remote = $(ident "$other" "$m")
    secret = "$PSK"
  }
EOF
	done
	echo "}"
}

# the children INSTALLED in S's list-sas, and its established IKE_SAs
swan_counts() {
	local out
	out=$(swan_sas "$1" 2>&1) || :
	SW_CHILDREN=$(printf '%s\n' "$out" | grep -cE '^ +t[0-9]+: #[0-9]+, .*INSTALLED') || :
	SW_IKES=$(printf '%s\n' "$out" | grep -c 'ESTABLISHED') || :
}

# KEY: records both charons' view and, if not all up, why
swan_after() {
	local key=$1 s ok=$2
	for s in S1 S2; do
		swan_counts "$s"
		echo "# $s: $SW_CHILDREN CHILD_SAs installed, $SW_IKES IKE_SA(s) established"
		bench "$key.ike_sas_$s $SW_IKES"
	done
	if [ "$ok" != 0 ]; then
		excerpt "charon S1 log" "$(_swan_dir S1)/charon.log" \
		    '[Ee]rror|fail|unacceptable|invalid|retransmit|no .* found|giving up'
		excerpt "charon S2 log" "$(_swan_dir S2)/charon.log" \
		    '[Ee]rror|fail|unacceptable|invalid|retransmit|no .* found|giving up'
	fi
}

run_strongswan() {
	local me i m t t0 tb rc fails
	router S1
	router S2
	wire S1 e0 S2 e0
	for me in 1 2; do
		{
			for m in $(seq 0 $((PAIRS - 1))); do
				echo "addr add $(addr "$me" 0 "$m")/24 dev e0"
			done
			for i in $(seq "$N"); do
				echo "link add ipsec$i type xfrm dev e0 if_id $i"
				echo "link set ipsec$i up"
			done
		} | ip -n "S$me" -batch -
	done
	# The lab's charon logs IKE at level 2; 1 here, like its default.
	SWAN_CHARON_EXTRA='filelog {
		charon {
			ike = 1
		}
	}'
	t=$(us)
	swan_start S1
	swan_start S2
	mark "charons started in $(secs $(($(us) - t))) s"
	swan_bench_conf 2 none >/run/swan-S2/swanctl.conf
	swan_bench_conf 1 start >/run/swan-S1/swanctl.conf
	swan_load S2 >/dev/null
	swanctl_in S1 --load-creds --noprompt --file /run/swan-S1/swanctl.conf >/dev/null
	nap 1

	# (a) one swanctl --load-conns, every child start_action = start
	mark "strongSwan (a): S1 loads $N children with start_action = start"
	t0=$(us)
	swanctl_in S1 --load-conns --file /run/swan-S1/swanctl.conf >/dev/null
	tb=$(($(us) - t0))
	mark "strongSwan (a): swanctl --load-conns took $(secs "$tb") s"
	bench "swan.batch_us $tb"
	rc=0
	wait_up S1 S2 "$t0" || rc=$?
	report swan "strongSwan (a)" S1 S2
	swan_after swan "$rc"

	# (b) N x swanctl --initiate --child tN --timeout -1
	if [ "$SWAN_LOOP" = 1 ]; then
		for m in $(seq 0 $((PAIRS - 1))); do
			swanctl_in S1 --terminate --ike "bench$m" --timeout 60 >/dev/null 2>&1 || :
		done
		wait_empty S1 || :
		wait_empty S2 || :
		# the same connection, without start actions
		swan_bench_conf 1 none >/run/swan-S1/swanctl.conf
		swanctl_in S1 --load-conns --file /run/swan-S1/swanctl.conf >/dev/null
		nap 1
		mark "strongSwan (b): $N x swanctl --initiate --child tN --timeout -1"
		t0=$(us)
		fails=0
		for i in $(seq "$N"); do
			swanctl_in S1 --initiate --child "t$i" --timeout -1 >/dev/null 2>&1 ||
			    fails=$((fails + 1))
		done
		tb=$(($(us) - t0))
		mark "strongSwan (b): the $N swanctl calls took $(secs "$tb") s ($fails failed)"
		bench "swanloop.batch_us $tb"
		rc=0
		wait_up S1 S2 "$t0" || rc=$?
		report swanloop "strongSwan (b)" S1 S2
		swan_after swanloop "$rc"
	fi
	swan_stop S1 || :
	swan_stop S2 || :
}

# ---- main ------------------------------------------------------------------

t_start=$(us)
mark "bench: $N tunnels over $PAIRS address pair(s), limit $LIMIT s per run, $(nproc) CPUs (TCG): $SIDES"
for side in $SIDES; do
	case $side in
	sectund) run_sectund ;;
	strongswan) run_strongswan ;;
	*) echo "# BENCH_SIDES: no side '$side'"; exit 2 ;;
	esac
done
mark "bench done in $(secs $(($(us) - t_start))) s"
bench "tunnels $N"
bench "pairs $PAIRS"
bench "cpus $(nproc)"
exit 0
