#!/bin/bash
# 60-ike-rekey: rekeying (RFC 7296 1.3.2, 1.3.3, 2.8) in a real kernel,
# with pings through the tunnels the whole time (no echo request lost).
#
# (a) sectund R1 <-> sectund R2 (the tunnel's outer addresses in transport
#     VR tr, its xfrm interface in operational VR op, as in 40; R2
#     responder-only, so R1 is the IKE SA's initiator): "request ipsec
#     rekey tunnel" from R1 (a1), then from R2 (a2), then from both at once
#     (a3, 2.8.1), then with "tunnel pfs group 19" on both (a4, a KE in the
#     rekey), "request ipsec rekey ike-sa" from R1 (a5) and from both at
#     once (a6, 2.8.2). After each: one SA pair in each kernel (no other
#     SA, not even a larval one), new SPIs on which both ends and both
#     kernels agree, one IKE SA each side, a "rekeyed" event.
#     "At once" is made certain by ike_hold (nftables in each router drops
#     the first CREATE_CHILD_SA request and answer it receives), so each
#     end reads the other's request before the answer to its own.
# (v) sectund's own volume limit (the global default, 102400 KB): 100 MiB
#     of TCP through (a)'s tunnel cross its soft limit (80-90%): the
#     kernel's soft EXPIRE makes R1 rekey before the hard limit.
# (b) sectund R3 (responder-only) <-> strongSwan R4 (charon), one IKE SA
#     carrying three CHILD_SAs with their own selectors and if_ids:
#     strongSwan rekeys s1 by time every ~15 s (no PFS), s2 every ~20 s
#     with PFS (ecp256 in its ESP proposal), s3 by volume (rekey_bytes,
#     a ping of 1200-byte packets through it), the IKE SA at ~25 s; then
#     sectund rekeys s3 (b5) and the IKE SA (b6), and strongSwan rekeys s1
#     on sectund's new IKE SA (b7). Checks charon's list-sas (one IKE_SA,
#     one CHILD_SA of each, their SPIs), sectund's view, both kernels, and
#     traffic through the rekeyed CHILD_SA at once.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"
. "$SECTUN_SRC/tests/lab/peers.sh"

# ---- helpers ---------------------------------------------------------------

mark() {
	printf '# %(%T)T %s\n' -1 "$*"
}

# R: "SPI IF_ID" for each SA in R's kernel (if_id "-" when none: a larval
# SA of an SPI allocated for a CHILD_SA being negotiated)
kstates() {
	ip -n "$1" xfrm state | awk '
	    /^src / { if (s != "") print s, f; s = ""; f = "-" }
	    $1 == "proto" { s = $4 }
	    $1 == "if_id" { f = $2 }
	    END { if (s != "") print s, f }'
}

# R TUNNEL: "IN OUT", the CHILD_SA's SPIs in sectund's tunnel detail
neg_spis() {
	cli "$1" "show ipsec tunnel ipsec:$2 detail" |
	    sed -n 's/^ *Negotiated SPIs: inbound \(0x[0-9a-f]*\), outbound \(0x[0-9a-f]*\)$/\1 \2/p'
}

# R: "SPI_I SPI_R" of each of R's IKE SAs, a line each
ike_spis() {
	cli "$1" 'show ipsec ike-sa detail' |
	    sed -n 's/^ *SPIs: initiator \([0-9a-f]*\), responder \([0-9a-f]*\)$/\1 \2/p'
}

# R: how many IKE SAs R lists
n_ike() {
	cli "$1" 'show ipsec ike-sa' | grep -cvE '^(Peer |No IKE SAs)' || :
}

# Continuous pings, "ping -D" (a time stamp per answer) into /run/ping-TAG.
declare -A PING_PID=()
ping_start() {	# R TAG VRF SRC DST [PING ARGS]
	local r=$1 tag=$2 vr=$3 src=$4 dst=$5
	shift 5
	ip netns exec "$r" ip vrf exec "vrf-$vr" ping -D -I "$src" "$@" "$dst" \
	    >"/run/ping-$tag" 2>&1 &
	PING_PID[$tag]=$!
}
ping_stop() {	# TAG
	kill -INT "${PING_PID[$1]}" 2>/dev/null || :
	wait "${PING_PID[$1]}" 2>/dev/null || :
}
# _ping_gaps FILE [TX]: the echo requests lost (each with the time of the
# answer before it), of 1 .. TX-1, or up to the last one answered
_ping_gaps() {
	awk -v tx="${2:-0}" '
	    match($0, /icmp_seq=[0-9]+ /) {
		s = substr($0, RSTART + 9, RLENGTH - 10) + 0; got[s] = 1
		t = $1; gsub(/[][]/, "", t); at[s] = t; if (s > max) max = s }
	    END {
		last = tx > 0 ? tx - 1 : max
		for (i = 1; i <= last; i++) if (!(i in got)) {
			n++; if (n <= 8) miss = miss sprintf(" %d (after %s)", i,
			    (i - 1) in at ? strftime("%T", at[i - 1]) "." substr(at[i - 1], 12, 3) : "-")
		}
		if (n) { print n " lost, icmp_seq:" miss (n > 8 ? " ..." : ""); exit 1 }
		if (tx == 0 && systime() - at[max] > 3) {
			print "no answer since " strftime("%T", at[max]) " (icmp_seq " max ")"; exit 1 }
	    }' "$1"
}
# TAG: the running ping of TAG lost nothing so far and was answered within
# the last 3 s
ping_alive() {
	_ping_gaps "/run/ping-$1"
}
# TAG: the stopped ping of TAG lost nothing (but for the last request,
# which may have been in flight at the SIGINT)
ping_ok() {
	local f=/run/ping-$1 tx
	tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$f")
	[ -n "$tx" ] || { echo "no summary:"; tail -n 5 "$f"; return 1; }
	grep -E 'transmitted' "$f"
	[ "$tx" -ge 20 ] || { echo "only $tx sent"; return 1; }
	_ping_gaps "$f" "$tx"
}

# TEXT: prints it (check_output on a copy)
in_() {
	printf '%s\n' "$1"
}

# What the daemons logged since the last call for the same router (R's
# sectund log, or its charon's), filtered, the last 40 lines
declare -A LOGPOS=()
log_news() {	# FILE KEY PREFIX REGEX
	local lines=() keep=() l pos=${LOGPOS[$2]:-0} from
	mapfile -t -s "$pos" lines <"$1" || :
	LOGPOS[$2]=$((pos + ${#lines[@]}))
	for l in "${lines[@]}"; do
		[[ $l =~ $4 ]] && keep+=("$3$l")
	done
	from=$((${#keep[@]} > 40 ? ${#keep[@]} - 40 : 0))
	[ "${#keep[@]}" = 0 ] || printf '%s\n' "${keep[@]:from}"
}
diag() {	# R...
	local r
	for r in "$@"; do
		if [ -e "/run/sectun-$r/log" ]; then
			log_news "/run/sectun-$r/log" "$r" "# $r: " \
			    'IKE (sent|received) (CREATE_CHILD_SA|INFORMATIONAL .*Delete)|tunnel ipsec:.*(rekey|CHILD_SA|soft|hard|down)|IKE SA|warn|error'
		elif [ -e "/run/swan-$r/charon.log" ]; then
			log_news "/run/swan-$r/charon.log" "$r" "# $r swan: " \
			    '[Ee]rror|fail|invalid|unacceptable|refus|rekey|establish|DELETE|TEMPORARY|NO_PROP|NOT_FOUND'
		fi
	done
}

# R: every SA of R has hard limits of 28800 s and 104857600 bytes (the
# defaults, 102400 KB) and soft ones at 80-90% of them (ip -s xfrm state)
klimits() {
	ip -n "$1" -s xfrm state | awk '
	    /^src / { n++ }
	    /limit: soft [0-9]+\(bytes\)/ { gsub(/[(),]/, " "); sb = $3; hb = $6 }
	    /expire add: soft/ { gsub(/[(),]/, " "); ss = $4; hs = $7
		if (hb == 104857600 && sb >= 83886080 && sb <= 94371840 &&
		    hs == 28800 && ss >= 23040 && ss <= 25920) ok++
		else print "SA " n ": bytes soft " sb " hard " hb ", seconds soft " ss " hard " hs }
	    END { if (ok != 2 || n != 2) { print ok + 0 " of " n " SAs right"; exit 1 } }'
}

# R on|off: R drops the first CREATE_CHILD_SA request and the first
# CREATE_CHILD_SA answer it receives from each peer (UDP 500; the IKE
# header's exchange type, byte 18, and Response flag, 0x20 of byte 19).
# On both ends, two rekeys started at once cross for certain: both
# requests are lost; their first retransmissions (2 s later) reach a peer
# whose own request is outstanding, and the answers are lost; the second
# retransmissions (4 s later) get the answers, so each end has read the
# other's request before the answer to its own (RFC 7296 2.8.1, 2.8.2).
ike_hold() {
	ip netns exec "$1" nft delete table inet lab_ike 2>/dev/null || :
	[ "$2" = on ] || return 0
	ip netns exec "$1" nft -f - <<'EOF'
table inet lab_ike {
	set req { type ipv4_addr; flags dynamic; }
	set resp { type ipv4_addr; flags dynamic; }
	chain in {
		type filter hook input priority 0; policy accept;
		udp dport 500 @th,208,8 36 @th,218,1 0 ip saddr != @req add @req { ip saddr } counter drop
		udp dport 500 @th,208,8 36 @th,218,1 1 ip saddr != @resp add @resp { ip saddr } counter drop
	}
}
EOF
}
# R: R has dropped an answer (ike_hold)
ike_held() {
	ip netns exec "$1" nft list set inet lab_ike resp | grep -q 'elements'
}
# TAG CMD1 CMD2: CMD1 on R1 and CMD2 on R2 (two CLIs in the background),
# their exchanges crossing (ike_hold)
crossing() {
	local tag=$1 p1 p2 rc1=0 rc2=0
	ike_hold R1 on
	ike_hold R2 on
	cli R1 "$2" >/run/x-r1 2>&1 &
	p1=$!
	cli R2 "$3" >/run/x-r2 2>&1 &
	p2=$!
	wait "$p1" || rc1=$?
	wait "$p2" || rc2=$?
	check "$tag both requests accepted (R1: $2, R2: $3)" test "$rc1$rc2" = 00
	wait_for 15 "$tag R1 and R2 each answered the other's request while their own was outstanding" \
	    eval 'ike_held R1 && ike_held R2'
}

# ---- (b)'s routers first: charon's cold start overlaps (a) ----------------

t_start=$SECONDS
router R3
router R4
wire R3 e0 R4 e0
ip -n R4 -batch - <<'EOF'
addr add 198.51.100.4/24 dev e0
link add lan1 type dummy
link set lan1 up
addr add 10.41.0.1/16 dev lan1
link add lan2 type dummy
link set lan2 up
addr add 10.42.0.1/16 dev lan2
link add lan3 type dummy
link set lan3 up
addr add 10.43.0.1/16 dev lan3
link add ipsec1 type xfrm dev e0 if_id 1
link set ipsec1 up
route add 10.31.0.0/16 dev ipsec1
link add ipsec2 type xfrm dev e0 if_id 2
link set ipsec2 up
route add 10.32.0.0/16 dev ipsec2
link add ipsec3 type xfrm dev e0 if_id 3
link set ipsec3 up
route add 10.33.0.0/16 dev ipsec3
EOF
# one IKE_SA, rekeyed at 23-25 s (hard end 30 s later); s1 rekeyed at
# 13-15 s (hard end 40 s), s2 with PFS at 18-20 s, s3 at 240-250 kB in the
# direction that gets there first
swan_conf /run/swan-R4 s1 local=198.51.100.4 remote=198.51.100.3 \
    local_id=@swan.example.net remote_id=@r3.example.net if_id=1 \
    ike=aes256-sha256-modp2048 ike_rekey=25s ike_over=30s ike_rand=2s \
    esp=aes128gcm16 rekey=15s life=40s rand=2s \
    local_ts=10.41.0.0/16 remote_ts=10.31.0.0/16
swan_child /run/swan-R4 s1 s2 if_id=2 esp=aes128gcm16-ecp256 rekey=20s \
    life=45s rand=2s local_ts=10.42.0.0/16 remote_ts=10.32.0.0/16
swan_child /run/swan-R4 s1 s3 if_id=3 esp=aes128gcm16 rekey=1h \
    rekey_bytes=250000 life_bytes=2000000 rand_bytes=10000 \
    local_ts=10.43.0.0/16 remote_ts=10.33.0.0/16
swan_start R4 >/run/swan-start.out 2>&1 &
SWAN_START_PID=$!
sectund_start R3
cli R3 'debug ipsec ike'
cli R3 'configure terminal' 'virtual-router tr table 100' \
    'virtual-router op1 table 201' 'virtual-router op2 table 202' \
    'virtual-router op3 table 203'
ip -n R3 -batch - <<'EOF'
link set e0 master vrf-tr
addr add 198.51.100.3/24 dev e0
link add lan1 type dummy
link set lan1 master vrf-op1 up
addr add 10.31.0.1/16 dev lan1
link add lan2 type dummy
link set lan2 master vrf-op2 up
addr add 10.32.0.1/16 dev lan2
link add lan3 type dummy
link set lan3 master vrf-op3 up
addr add 10.33.0.1/16 dev lan3
EOF
r3=('configure terminal' 'ipsec local-identity fqdn r3.example.net'
    "ipsec key pre-share swan.example.net transport-virtual-router tr key $SWAN_PSK_DEFAULT"
    'ipsec transform-set gcm transform esp-aes128-gcm')
for n in 1 2 3; do
	r3+=("interface tunnel ipsec:s$n" 'tunnel establish responder-only'
	    "virtual-router op$n" 'tunnel transport-virtual-router tr'
	    'tunnel source 198.51.100.3' 'tunnel destination 198.51.100.4'
	    'tunnel peer-identity fqdn swan.example.net'
	    'tunnel transform-set gcm' "tunnel local selector 10.3$n.0.0/16"
	    "tunnel peer selector 10.4$n.0.0/16" "ip address 10.0.$n.1/30" 'exit'
	    "ip route virtual-router op$n 10.4$n.0.0/16 tunnel ipsec:s$n")
done
r3+=('interface tunnel ipsec:s2' 'tunnel pfs group 19' 'end')
cli R3 "${r3[@]}"
echo "# (b) setup: $((SECONDS - t_start)) s"

# ---- (a) sectund <-> sectund -----------------------------------------------

router R1
router R2
wire R1 e0 R2 e0
sectund_start R1
sectund_start R2
cli R1 'debug ipsec ike'
cli R2 'debug ipsec ike'
# (v)'s TCP stream: a receive window of 128 KiB at most, so it cannot fill
# the path's queues and crowd the ping out
ip netns exec R2 sysctl -q -w net.ipv4.tcp_rmem='4096 131072 131072'

# $1 router, $2 our outer v4, $3 peer's v4, $4 our side (1 or 2), $5 establish
configure() {
	local r=$1 me=$4 other=$((3 - $4))
	cli "$r" 'configure terminal' 'virtual-router tr table 100' \
	    'virtual-router op table 200'
	ip -n "$r" -batch - <<EOF
link set e0 master vrf-tr
addr add $2/24 dev e0
link add lan0 type dummy
link set lan0 master vrf-op up
addr add 10.$me.0.1/16 dev lan0
EOF
	cli "$r" 'configure terminal' \
	    "ipsec local-identity fqdn r$me.example.net" \
	    "ipsec key pre-share r$other.example.net transport-virtual-router tr key lab-secret-1" \
	    'interface tunnel ipsec:t1' "tunnel establish $5" 'virtual-router op' \
	    'tunnel transport-virtual-router tr' "tunnel source $2" \
	    "tunnel destination $3" "tunnel peer-identity fqdn r$other.example.net" \
	    "ip address 10.0.0.$me/30" 'exit' \
	    "ip route virtual-router op 10.$other.0.0/16 tunnel ipsec:t1"
}
configure R2 192.0.2.2 192.0.2.1 2 responder-only
configure R1 192.0.2.1 192.0.2.2 1 immediately
for r in R1 R2; do
	wait_for 30 "(a) $r: ipsec:t1 up by IKEv2" \
	    detail_has "$r" t1 'operational state: up'
done
echo "# (a) setup: $((SECONDS - t_start)) s"

# OLD ("IN OUT"): the state after a CHILD_SA rekey of (a): R1's SPIs are
# both other than OLD's, R2's are their mirror, each kernel holds exactly
# that pair (no other SA, not even a larval one), each end has one IKE SA.
# Leaves R1's "IN OUT" in /run/a.spis (wait_for runs it in a subshell).
a_settled() {
	local old=$1 s1 s2 k1 k2 n1 n2 in out
	s1=$(neg_spis R1 t1)
	s2=$(neg_spis R2 t1)
	read -r in out <<<"$s1" || :
	[ -n "$s1" ] || { echo "R1: no negotiated SPIs"; return 1; }
	if [ "${old% *}" = "$in" ] || [ "${old#* }" = "$out" ]; then
		echo "R1: SPIs $s1, before: $old"
		return 1
	fi
	[ "$s2" = "$out $in" ] || { echo "R1: $s1, R2: $s2"; return 1; }
	k1=$(kstates R1 | sort)
	k2=$(kstates R2 | sort)
	if [ "$k1" != "$(printf '%s 0x1\n' "$in" "$out" | sort)" ] ||
	    [ "$k2" != "$k1" ]; then
		printf 'R1 kernel:\n%s\nR2 kernel:\n%s\n' "$k1" "$k2"
		return 1
	fi
	n1=$(n_ike R1)
	n2=$(n_ike R2)
	if [ "$n1" != 1 ] || [ "$n2" != 1 ]; then
		echo "IKE SAs: R1 $n1, R2 $n2"
		cli R1 'show ipsec ike-sa'
		cli R2 'show ipsec ike-sa'
		return 1
	fi
	echo "$s1" >/run/a.spis
}

# TAG OLD: the checks after a CHILD_SA rekey of (a); sets SPIS (R1's
# "IN OUT" now)
a_checks() {
	local tag=$1 old=$2 in out
	: >/run/a.spis
	wait_for 30 "$tag: one new SA pair in each kernel, both ends agree, one IKE SA each" \
	    a_settled "$old"
	SPIS=$(cat /run/a.spis)
	read -r in out <<<"$SPIS" || :
	check "$tag: R1's detail: rekeyed: SPIs in $in out $out" \
	    detail_has R1 t1 "rekeyed: SPIs in $in out $out"
	check "$tag: R2's detail: rekeyed: SPIs in $out out $in" \
	    detail_has R2 t1 "rekeyed: SPIs in $out out $in"
	check "$tag: the ping through t1 lost nothing so far" ping_alive a
	diag R1 R2
}

# OLD ("SPI_I SPI_R"): the state after an IKE SA rekey of (a): one IKE SA
# each end, not OLD, the same SPIs at both, carrying t1's CHILD_SA (SPIS,
# unchanged), one SA pair in each kernel. Leaves the SPIs in /run/a.ike.
i_settled() {
	local old=$1 i1 i2 k1 k2
	i1=$(ike_spis R1)
	i2=$(ike_spis R2)
	if [ -z "$i1" ] || [ "$(printf '%s\n' "$i1" | wc -l)" != 1 ] ||
	    [ "$i1" = "$old" ] || [ "$i1" != "$i2" ]; then
		printf 'R1 IKE SAs:\n%s\nR2:\n%s\nbefore: %s\n' "$i1" "$i2" "$old"
		cli R2 'show ipsec ike-sa'
		return 1
	fi
	if ! cli R1 'show ipsec ike-sa' | grep -q "ipsec:t1 (in ${SPIS% *} out ${SPIS#* })" ||
	    ! cli R2 'show ipsec ike-sa' | grep -q "ipsec:t1 (in ${SPIS#* } out ${SPIS% *})"; then
		echo "t1's CHILD_SA (R1: $SPIS) is not on both IKE SAs:"
		cli R1 'show ipsec ike-sa'
		cli R2 'show ipsec ike-sa'
		return 1
	fi
	k1=$(kstates R1 | sort)
	k2=$(kstates R2 | sort)
	if [ "$k1" != "$(printf '%s 0x1\n' "${SPIS% *}" "${SPIS#* }" | sort)" ] ||
	    [ "$k2" != "$k1" ]; then
		printf 'R1 kernel:\n%s\nR2 kernel:\n%s\n' "$k1" "$k2"
		return 1
	fi
	echo "$i1" >/run/a.ike
}
i_checks() {	# TAG OLD; sets IKE
	: >/run/a.ike
	wait_for 30 "$1: one new IKE SA on each end, the same SPIs, carrying t1's CHILD_SA; one SA pair in each kernel" \
	    i_settled "$2"
	IKE=$(cat /run/a.ike)
	check "$1: the ping through t1 lost nothing so far" ping_alive a
	diag R1 R2
}

: >/run/a.spis
check "(a) one SA pair with if_id 1 in each kernel, one IKE SA each" \
    a_settled "0x0 0x0"
SPIS=$(cat /run/a.spis)
IKE=$(ike_spis R1)
check "(a) R1: both SAs have the kernel limits: hard 28800 s and 102400 KB, soft at 80-90%" \
    klimits R1
ping_start R1 a op 10.1.0.1 10.2.0.1 -i 0.2
sleep 1
diag R1 R2

mark "(a1) R1 (initiator) rekeys"
t0=$SECONDS
check "(a1) request ipsec rekey tunnel ipsec:t1 on R1" \
    cli R1 'request ipsec rekey tunnel ipsec:t1'
a_checks "(a1)" "$SPIS"
echo "# (a1): $((SECONDS - t0)) s"

mark "(a2) R2 (responder) rekeys"
t0=$SECONDS
check "(a2) request ipsec rekey tunnel ipsec:t1 on R2" \
    cli R2 'request ipsec rekey tunnel ipsec:t1'
a_checks "(a2)" "$SPIS"
echo "# (a2): $((SECONDS - t0)) s"

mark "(a3) both rekey at once (2.8.1)"
t0=$SECONDS
crossing "(a3)" 'request ipsec rekey tunnel ipsec:t1' \
    'request ipsec rekey tunnel ipsec:t1'
a_checks "(a3)" "$SPIS"
# The end that reads its answer first settles it; the other may then get
# the Delete of the redundant SA before its answer, and has nothing to do.
check_output "(a3) the collision was seen and resolved (2.8.1: the SA made with the lowest nonce closed by its maker)" \
    "both ends rekeyed 0x[0-9a-f]+ at once; 0x[0-9a-f]+ stays" \
    cat /run/sectun-R1/log /run/sectun-R2/log
ike_hold R1 off
ike_hold R2 off
echo "# (a3): $((SECONDS - t0)) s"

mark "(a4) PFS group 19 on both; R1 rekeys"
t0=$SECONDS
for r in R2 R1; do
	cli "$r" 'configure terminal' 'interface tunnel ipsec:t1' \
	    'tunnel pfs group 19' 'end'
done
check "(a4) request ipsec rekey tunnel ipsec:t1 on R1" \
    cli R1 'request ipsec rekey tunnel ipsec:t1'
a_checks "(a4)" "$SPIS"
check_output "(a4) R1 rekeyed with PFS: a KE in its request" \
    'IKE sent CREATE_CHILD_SA request .*N\(REKEY_SA\) SA Nonce KE TSi TSr' \
    grep 'IKE sent CREATE_CHILD_SA request' /run/sectun-R1/log
check_output "(a4) R2 answered with a KE" \
    'IKE sent CREATE_CHILD_SA response .* SA Nonce KE TSi TSr' \
    grep 'IKE sent CREATE_CHILD_SA response' /run/sectun-R2/log
echo "# (a4): $((SECONDS - t0)) s"

mark "(v) 100 MiB through t1"
t0=$SECONDS
ip netns exec R2 ip vrf exec vrf-op sh -c 'busybox nc -l -p 5001 | wc -c' \
    >/run/v-count 2>&1 &
pv=$!
sleep 0.5
check "(v) R1 sends 100 MiB over TCP through t1 within 90 s" \
    timeout 90 ip netns exec R1 ip vrf exec vrf-op bash -c \
    'head -c 104857600 /dev/zero >/dev/tcp/10.2.0.1/5001'
echo "# (v) transfer: $((SECONDS - t0)) s"
timeout 10 tail --pid="$pv" -f /dev/null || kill "$pv" 2>/dev/null || :
check_output "(v) R2 received all 104857600 bytes" '^ *104857600$' cat /run/v-count
check_output "(v) the soft byte limit's EXPIRE started a rekey" \
    'soft lifetime reached' cat /run/sectun-R1/log /run/sectun-R2/log
a_checks "(v)" "$SPIS"
echo "# (v): $((SECONDS - t0)) s"

mark "(a5) R1 rekeys the IKE SA"
t0=$SECONDS
check "(a5) request ipsec rekey ike-sa all on R1" \
    cli R1 'request ipsec rekey ike-sa all'
i_checks "(a5)" "$IKE"
echo "# (a5): $((SECONDS - t0)) s"

mark "(a6) both rekey the IKE SA at once (2.8.2)"
t0=$SECONDS
crossing "(a6)" 'request ipsec rekey ike-sa all' \
    'request ipsec rekey ike-sa 192.0.2.1'
i_checks "(a6)" "$IKE"
check_output "(a6) the collision was seen and resolved (2.8.2)" \
    'both ends rekeyed it at once; one new SA stays' \
    cat /run/sectun-R1/log /run/sectun-R2/log
ike_hold R1 off
ike_hold R2 off
echo "# (a6): $((SECONDS - t0)) s"

sleep 0.5
ping_stop a
check "(a) the ping through t1 lost nothing through all of it" ping_ok a
echo "# (a) done: $((SECONDS - t_start)) s since the start"

# ---- (b) sectund R3 <-> strongSwan R4 ---------------------------------------

# charon's list-sas, into SWS
swan_list() {
	SWS=$(swan_sas R4 2>&1) || :
}
# CHILD: "#ID STATE 0xIN 0xOUT PROPOSAL" for each of charon's CHILD_SAs
# named CHILD in $SWS (list-sas indents an IKE_SA's lines by 2, a
# child's by 4)
swan_children() {
	printf '%s\n' "$SWS" | awk -v n="$1:" '
	    function flush() { if (id != "") print id, st, i, o, pr; id = "" }
	    { match($0, /^ */); ind = RLENGTH }
	    ind <= 2 && $1 != n { flush() }
	    ind == 2 && $1 == n { flush(); id = $2; st = $5; pr = $7
		gsub(",", "", id); gsub(",", "", st); i = o = "-"; next }
	    id != "" && $1 == "in" { i = $2; sub(",", "", i); i = "0x" i }
	    id != "" && $1 == "out" { o = $2; sub(",", "", o); o = "0x" o }
	    END { flush() }'
}
# "#ID STATE SPI_I SPI_R" for each of charon's IKE_SAs in $SWS
swan_ikes() {
	printf '%s\n' "$SWS" | awk '/^[^ ].*: #[0-9]+, / {
	    i = $5; r = $6; gsub(/_i|_r|\*|,/, "", i); gsub(/_i|_r|\*|,/, "", r)
	    st = $3; sub(",", "", st); id = $2; sub(",", "", id)
	    print id, st, i, r }'
}

# TUNNEL IF_ID OLD ("IN OUT"): sectund's CHILD_SA for TUNNEL has other SPIs
# than OLD, charon lists exactly one CHILD_SA of that name, INSTALLED,
# with the same SPIs (an old one lingers for 5 s: delete_rekeyed_delay),
# both kernels hold exactly that pair for IF_ID, each side has one IKE SA.
# Leaves "IN OUT" and charon's line in /run/b.state.
b_settled() {
	local t=$1 f="0x$2" old=$3 s k3 k4 st i o n in out child
	s=$(neg_spis R3 "$t")
	read -r in out <<<"$s" || :
	b_rekeyed "$t" "$old" || return 1
	swan_list
	child=$(swan_children "$t")
	read -r _ st i o _ <<<"$child" || :
	if [ "$(printf '%s\n' "$child" | wc -l)" != 1 ] || [ "$st" != INSTALLED ] ||
	    [ "$i" != "$out" ] || [ "$o" != "$in" ]; then
		printf 'R3 %s: in %s out %s; charon:\n%s\n' "$t" "$in" "$out" "$child"
		return 1
	fi
	k3=$(kstates R3 | awk -v f="$f" '$2 == f' | sort)
	k4=$(kstates R4 | awk -v f="$f" '$2 == f' | sort)
	if [ "$k3" != "$(printf '%s %s\n' "$in" "$f" "$out" "$f" | sort)" ] ||
	    [ "$k4" != "$k3" ]; then
		printf 'R3 kernel (%s):\n%s\nR4 kernel:\n%s\n' "$f" "$k3" "$k4"
		return 1
	fi
	n=$(n_ike R3)
	if [ "$n" != 1 ] || [ "$(swan_ikes | wc -l)" != 1 ]; then
		echo "IKE SAs: R3 $n, charon:"
		swan_ikes
		return 1
	fi
	printf '%s\n%s\n' "$s" "$child" >/run/b.state
}

# N: a ping through sN at once; on failure, both ends' counters of ESP
# packets that failed their integrity check
b_traffic() {
	ip netns exec R3 ip vrf exec "vrf-op$1" ping -c 2 -i 0.3 -W 2 -q \
	    -I "10.3$1.0.1" "10.4$1.0.1" && return 0
	cli R3 "show ipsec tunnel ipsec:s$1 detail" | grep -E 'SA: spi|errors'
	echo "R4:"
	ip -n R4 -s xfrm state | grep -E '^src|proto esp|if_id|integrity|replay-window'
	return 1
}

# TUNNEL OLD: sectund's CHILD_SA for TUNNEL has other SPIs than OLD
b_rekeyed() {
	local s in out
	s=$(neg_spis R3 "$1")
	read -r in out <<<"$s" || :
	if [ -z "$s" ] || [ "${2% *}" = "$in" ] || [ "${2#* }" = "$out" ]; then
		echo "R3 $1: SPIs '$s', before: $2"
		return 1
	fi
}

# TAG TUNNEL N OLD [SECONDS]: the checks after a CHILD_SA rekey of (b):
# traffic through the new SA as soon as sectund has it, then the settled
# state; sets B_SPIS (sectund's "IN OUT") and B_CHILD (charon's line)
b_checks() {
	local tag=$1 t=$2 n=$3 old=$4 in out
	wait_for "${5:-40}" "$tag: $t rekeyed (sectund has a new CHILD_SA)" \
	    b_rekeyed "$t" "$old"
	check "$tag: traffic through the new $t both ways, at once" b_traffic "$n"
	: >/run/b.state
	wait_for 20 "$tag: one new CHILD_SA $t at charon (list-sas), its SPIs at sectund and in both kernels, one IKE SA each" \
	    b_settled "$t" "$n" "$old"
	B_SPIS=$(sed -n 1p /run/b.state)
	B_CHILD=$(sed -n 2p /run/b.state)
	read -r in out <<<"$B_SPIS" || :
	check "$tag: R3's detail of $t: rekeyed: SPIs in $in out $out" \
	    detail_has R3 "$t" "rekeyed: SPIs in $in out $out"
}

# OLD ("SPI_I SPI_R"): one IKE SA each side, other SPIs than OLD, the
# same at both; sectund's carries the three tunnels. Leaves the SPIs in
# /run/b.ike.
bi_settled() {
	local old=$1 i3 sw l t
	i3=$(ike_spis R3)
	swan_list
	sw=$(swan_ikes)
	if [ -z "$i3" ] || [ "$(printf '%s\n' "$i3" | wc -l)" != 1 ] ||
	    [ "$i3" = "$old" ] || [ "$(printf '%s\n' "$sw" | wc -l)" != 1 ] ||
	    [ "$(echo "$sw" | cut -d' ' -f2-)" != "ESTABLISHED $i3" ]; then
		printf 'R3 IKE SAs:\n%s\ncharon:\n%s\nbefore: %s\n' "$i3" "$sw" "$old"
		return 1
	fi
	l=$(cli R3 'show ipsec ike-sa')
	for t in s1 s2 s3; do
		if [[ $l != *"ipsec:$t ("* ]]; then
			echo "R3's IKE SA lacks $t:"
			echo "$l"
			return 1
		fi
	done
	echo "$i3" >/run/b.ike
}

check "(b) charon started in R4" wait "$SWAN_START_PID"
t_b=$SECONDS
check "(b) charon loads connection s1 with children s1, s2, s3" swan_load R4
for n in 1 2 3; do
	check_output "(b) R3: ipsec$n has if_id $n, in vrf-op$n" \
	    "master vrf-op$n .*if_id 0x$n|if_id 0x$n.*master vrf-op$n" \
	    sh -c "ip -n R3 -d link show ipsec$n | tr '\n' ' '"
done
mark "(b) strongSwan initiates s1, s2, s3"
check_output "(b) strongSwan initiates s1: IKE_SA and its first CHILD_SA" \
    'CHILD_SA s1\{[0-9]+\} established' swan_initiate R4 s1
check_output "(b) strongSwan initiates s2 (CREATE_CHILD_SA with KE, PFS)" \
    'CHILD_SA s2\{[0-9]+\} established' swan_initiate R4 s2
check_output "(b) strongSwan initiates s3" \
    'CHILD_SA s3\{[0-9]+\} established' swan_initiate R4 s3
ping_start R3 b1 op1 10.31.0.1 10.41.0.1 -i 0.2
ping_start R3 b2 op2 10.32.0.1 10.42.0.1 -i 0.2
ping_start R3 b3 op3 10.33.0.1 10.43.0.1 -i 0.05 -s 1200
for n in 1 2 3; do
	wait_for 10 "(b) R3: ipsec:s$n up" detail_has R3 "s$n" 'operational state: up'
done
B_S1=$(neg_spis R3 s1)
B_S2=$(neg_spis R3 s2)
B_S3=$(neg_spis R3 s3)
B_IKE=$(ike_spis R3)
swan_list
printf '%s\n' "$SWS" | sed 's/^/# (b) charon: /'
check_output "(b) R3: s2 negotiated with the PFS group (ECP_256)" \
    'Negotiated transform: .*ECP_256' cli R3 'show ipsec tunnel ipsec:s2 detail'
diag R3 R4

mark "(b) strongSwan's rekeys"
b_checks "(b1) strongSwan's rekey by time (~15 s), no PFS" s1 1 "$B_S1"
check_output "(b1) charon: the new s1 has no DH group (no PFS)" \
    ' ESP:AES_GCM_16-128$' in_ "$B_CHILD"
B_S1=$B_SPIS
diag R3 R4
b_checks "(b3) strongSwan's rekey by volume (rekey_bytes 250000)" s3 3 "$B_S3"
ping_stop b3
check "(b3) the 1200-byte ping (20 a second) through s3 lost nothing" ping_ok b3
check_output "(b3) charon: the kernel's soft byte limit started it (s3's rekey time is 1 h)" \
    'creating rekey job for CHILD_SA ESP/0x' swan_log R4
B_S3=$B_SPIS
b_checks "(b2) strongSwan's rekey by time (~20 s) with PFS" s2 2 "$B_S2"
check_output "(b2) charon: the new s2 has a DH group (PFS)" \
    ' ESP:AES_GCM_16-128/ECP_256$' in_ "$B_CHILD"
check_output "(b2) R3 answered a rekey with a KE" \
    'IKE sent CREATE_CHILD_SA response .*SA Nonce KE TSi TSr' \
    grep 'IKE sent CREATE_CHILD_SA response' /run/sectun-R3/log
diag R3 R4
: >/run/b.ike
wait_for 40 "(b4) strongSwan rekeyed the IKE SA (~25 s): one each side, new SPIs, the same, carrying s1, s2, s3" \
    bi_settled "$B_IKE"
B_IKE=$(cat /run/b.ike)
for n in 1 2 3; do
	check "(b4) traffic through s$n after the IKE SA rekey" b_traffic $n
done
diag R3 R4
echo "# (b) strongSwan's rekeys: $((SECONDS - t_b)) s"

mark "(b5) sectund rekeys s3"
t0=$SECONDS
ping_start R3 b3 op3 10.33.0.1 10.43.0.1 -i 0.2
B_S3=$(neg_spis R3 s3)
check "(b5) request ipsec rekey tunnel ipsec:s3 on R3" \
    cli R3 'request ipsec rekey tunnel ipsec:s3'
b_checks "(b5) sectund's rekey" s3 3 "$B_S3" 10
check_output "(b5) R3 initiated it" \
    'IKE sent CREATE_CHILD_SA request .*N\(REKEY_SA\) SA Nonce TSi TSr' \
    grep 'IKE sent CREATE_CHILD_SA request' /run/sectun-R3/log
diag R3 R4
echo "# (b5): $((SECONDS - t0)) s"

mark "(b6) sectund rekeys the IKE SA"
t0=$SECONDS
B_S1=$(neg_spis R3 s1)
check "(b6) request ipsec rekey ike-sa 198.51.100.4 on R3" \
    cli R3 'request ipsec rekey ike-sa 198.51.100.4'
: >/run/b.ike
wait_for 20 "(b6) sectund's IKE SA rekey: one each side, new SPIs, the same, carrying s1, s2, s3" \
    bi_settled "$B_IKE"
check_output "(b6) R3 initiated it" 'IKE sent CREATE_CHILD_SA request .*SK \{ SA Nonce KE \}' \
    cat /run/sectun-R3/log
diag R3 R4
echo "# (b6): $((SECONDS - t0)) s"

mark "(b7) strongSwan rekeys s1 on sectund's IKE SA"
b_checks "(b7) strongSwan's next rekey of s1, on the IKE SA sectund made" s1 1 "$B_S1" 25
diag R3 R4

sleep 0.5
for p in b1 b2 b3; do
	ping_stop $p
done
check "(b) the ping through s1 lost nothing" ping_ok b1
check "(b) the ping through s2 lost nothing" ping_ok b2
check "(b) the ping through s3 lost nothing (since the volume rekey)" ping_ok b3
# R: R's kernel has six SAs, all with if_id 1-3
six_sas() {
	local n
	n=$(kstates "$1" | awk '$2 ~ /^0x[123]$/ { n++ } END { print n + 0, NR }')
	[ "$n" = "6 6" ] || { echo "$n (with if_id 1-3, in all):"; kstates "$1"; return 1; }
}
wait_for 10 "(b) R3: six SAs in the kernel, no larval one left" six_sas R3
wait_for 10 "(b) R4: six SAs in the kernel" six_sas R4
echo "# (b) total: $((SECONDS - t_b)) s"

echo "# total: $((SECONDS - t_start)) s"
if [ "$CHECKS_FAILED" != 0 ]; then
	for r in R1 R2 R3; do
		echo "# ---- $r's sectund log (the last 60 lines, but for empty INFORMATIONALs) ----"
		grep -vE 'IKE (sent|received) INFORMATIONAL (request|response) [^ ]+ id [0-9]+: SK *\{? *\}?$' \
		    "/run/sectun-$r/log" | tail -n 60 | sed "s/^/# $r: /"
	done
	echo "# ---- R4's charon log (the last 60 lines) ----"
	swan_log R4 | tail -n 60 | sed 's/^/# R4: /'
fi
done_checks
