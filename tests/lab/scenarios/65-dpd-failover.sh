#!/bin/bash
# 65-dpd-failover: dead peer detection (RFC 7296 2.4 liveness checks),
# failover to "tunnel destination backup" and trap hooks, on real kernels.
#
# A branch B and two hubs H1 (primary) and H2 (backup), three sectunds.
# B reaches each hub over a veth of its own (e1 to H1, e2 to H2); B's
# tunnel source 192.0.2.100 is on a dummy interface in B's transport VRF,
# so it stays reachable from a hub when the other link is cut. The hubs are
# responder-only with B's address as destination and both answer the same
# inner addresses (10.0.0.2, 10.2.0.1), so one ping target works through
# either. The hubs' identities are their addresses, B's keys are by address.
# B's tunnel has DPD always-send, interval 3 s, threshold 2.
#   1. up on the primary, ping through it
#   2. SIGKILL H1's sectund (its kernel SAs stay; nobody answers IKE): B
#      declares it dead in interval x threshold (+ up to one interval until
#      the first probe, + a margin), the tunnel goes down, comes up on H2
#   3. (DPD now probe-idle) H1's sectund restarted; B's link to H2 dropping
#      everything both ways: B fails over back to the primary
#   4. B's sectund restarted with H1's path cut: IKE_SA_INIT to the primary
#      fails after interval x threshold, the tunnel comes up on the backup
#   4b. a key of its own for H2 (B: "ipsec key pre-share H2 ..."): cleared,
#      the tunnel comes up on the backup again with that key
#   5. a hook of ours records each run's environment: the events in order
#      and their variables, nothing but PATH and SECTUN_*
#   6. the sample hook hooks/sectun-snmptrap (a copy under /run with its
#      .conf) sends SNMPv2c traps to an snmptrapd in B's namespace that
#      decodes them with mibs/SECTUN-MIB.txt
# shellcheck disable=SC2317	# functions run by check and wait_for
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"

K=dpd-lab-pre-shared-key-0123456789
B_SRC=192.0.2.100
H1_ADDR=198.51.100.2
H2_ADDR=198.51.100.6
INTERVAL=3
THRESHOLD=2
LIMIT=$((INTERVAL * THRESHOLD))
HOOKS=/run/hooks		# the hooks and the snmp hook's .conf
HENV=/run/hook-env		# PID.env, PID.t: one pair per run of env-hook
SNMP=/run/snmp			# snmptrapd's MIBs, config and log
TRAP_PORT=16162

# ---- helpers ---------------------------------------------------------------

note() {
	printf '# %(%T)T %s\n' -1 "$*"
}

now() {
	date +%s.%N
}

# A B: B - A in seconds, 1 decimal
secs() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'
}

# V LO HI: LO <= V <= HI
within() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'
}

# The pid the next process gets, about: hook runs with a larger pid
# started later (one pid namespace per scenario, pids never wrap here).
pid_mark() {
	sh -c 'echo $$'
}

# MARK: the env-hook runs with a pid above MARK, in the order the daemon
# started them (pids are given in order)
runs_since() {
	local f p
	for f in "$HENV"/*.env; do
		[ -e "$f" ] || continue
		p=${f##*/}
		p=${p%.env}
		[ "$p" -gt "$1" ] && echo "$p"
	done | sort -n
}

# PID VAR: the variable in that run's environment
hvar() {
	local l
	while IFS= read -r l; do
		[ "${l%%=*}" != "$2" ] || { printf '%s\n' "${l#*=}"; return 0; }
	done <"$HENV/$1.env"
}

# MARK: "EVENT EVENT ..." of the runs since MARK
events_since() {
	local p out=''
	for p in $(runs_since "$1"); do
		out+="${out:+ }$(hvar "$p" SECTUN_TRAP)"
	done
	echo "$out"
}

# MARK EVENT [VAR=VALUE]: the pid of the first run since MARK of EVENT
# (whose VAR is VALUE); fails if none
first_run() {
	local p
	for p in $(runs_since "$1"); do
		[ "$(hvar "$p" SECTUN_TRAP)" = "$2" ] || continue
		[ -z "${3:-}" ] || [ "$(hvar "$p" "${3%%=*}")" = "${3#*=}" ] ||
		    continue
		echo "$p"
		return 0
	done
	return 1
}

# MARK EVENT: no run of EVENT since MARK
no_run() {
	! first_run "$@" >/dev/null || { echo "runs: $(events_since "$1")"; return 1; }
}

# MARK EVENT...: each EVENT has a run since MARK
fired() {
	local m=$1 e
	shift
	for e in "$@"; do
		first_run "$m" "$e" >/dev/null || {
			echo "no $e since pid $m; runs: $(events_since "$m")"
			return 1
		}
	done
}

# PID: when that run started (the hook's own clock, date +%s.%N)
run_time() {
	cat "$HENV/$1.t"
}

# PID VAR=REGEX...: each variable of the run matches its (whole) regex
run_vars() {
	local p=$1 kv v bad=''
	shift
	for kv in "$@"; do
		v=$(hvar "$p" "${kv%%=*}")
		[[ $v =~ ^(${kv#*=})$ ]] || bad+="${kv%%=*}='$v' (want ${kv#*=}); "
	done
	[ -z "$bad" ] || { echo "run $p: $bad"; sed 's/^/  /' "$HENV/$p.env"; return 1; }
}

# B's tunnel is up, on the primary or the backup destination
b_up_on() {	# primary|backup
	local d
	d=$(b_detail) && grep -q 'operational state: up' <<<"$d" &&
	    grep -qE "^  Destination: $H1_ADDR \(active: $1\)" <<<"$d"
}

b_ping() {
	ip netns exec B ping -c 3 -W 2 -I vrf-op -q 10.2.0.1
}

b_detail() {
	cli B 'show ipsec tunnel ipsec:hub detail'
}

# REGEX...: B's tunnel events (detail) have lines matching each in order
events_in_order() {
	local ev re n=0
	ev=$(b_detail | sed -n '/^  Events/,$p')
	for re in "$@"; do
		n=$(printf '%s\n' "$ev" | RE=$re awk -v n="$n" \
		    'NR > n && $0 ~ ENVIRON["RE"] { print NR; f = 1; exit }
		    END { exit !f }') ||
		    { echo "no event matching '$re' after line $n:"; echo "$ev"; return 1; }
	done
}

sas_of() {	# R: how many ESP SAs with the tunnel's if_id (1)
	ip -n "$1" xfrm state | grep -c 'if_id 0x1$' || :
}

show_b() {	# what B says, into the log
	b_detail | grep -E 'state|Destination|Down|DPD|Failovers|Negotiation|error|^    20' |
	    sed 's/^/# B: /' || :
}

# ---- the three routers -------------------------------------------------------

router B
router H1
router H2
wire B e1 H1 e0
wire B e2 H2 e0
mkdir -p "$HOOKS" "$HENV" "$SNMP/mibs" "$SNMP/persist"

# the hook of ours: its environment exactly as execve gave it (not the
# shell's, which adds PWD), then when it started
cat >"$HOOKS/env-hook" <<EOF
#!/bin/sh
t=\$(date +%s.%N)
tr '\\0' '\\n' </proc/\$\$/environ >"$HENV/.\$\$"
echo "\$t" >"$HENV/\$\$.t"
mv "$HENV/.\$\$" "$HENV/\$\$.env"
EOF
cp "$SECTUN_SRC/hooks/sectun-snmptrap" "$HOOKS/sectun-snmptrap"
chmod 0755 "$HOOKS/env-hook" "$HOOKS/sectun-snmptrap"
printf 'TARGET=udp:127.0.0.1:%s\nCOMMUNITY=public\n' "$TRAP_PORT" \
    >"$HOOKS/sectun-snmptrap.conf"
chmod 0600 "$HOOKS/sectun-snmptrap.conf"

# snmptrapd in B, with SECTUN-MIB and the stand-ins for the IETF modules
# it imports that tests/hook_snmp.sh writes (Debian main ships none)
eval "$(sed -n '/^stubs() {$/,/^}$/p' "$SECTUN_SRC/tests/hook_snmp.sh")"
stubs "$SNMP/mibs"
cp "$SECTUN_SRC/mibs/SECTUN-MIB.txt" "$SNMP/mibs/"
echo 'authCommunity log public' >"$SNMP/snmptrapd.conf"
: >"$SNMP/traps.log"
SNMP_PERSISTENT_DIR=$SNMP/persist SNMPCONFPATH=$SNMP/persist \
    ip netns exec B snmptrapd -f -C -c "$SNMP/snmptrapd.conf" \
    -M "$SNMP/mibs" -m ALL -n -Lf "$SNMP/traps.log" \
    "udp:127.0.0.1:$TRAP_PORT" </dev/null >"$SNMP/out" 2>&1 &
wait_for 20 "snmptrapd listens in B on udp:127.0.0.1:$TRAP_PORT" \
    grep -q 'NET-SNMP version' "$SNMP/traps.log"

for r in B H1 H2; do
	sectund_start "$r"
	cli "$r" 'debug ipsec ike'
	cli "$r" 'configure terminal' 'virtual-router tr table 100' \
	    'virtual-router op table 200'
	ip -n "$r" link add lan0 type dummy
	ip -n "$r" link set lan0 master vrf-op up
done
ip -n B link add src0 type dummy
ip -n B link set src0 master vrf-tr up
ip -n B link set e1 master vrf-tr
ip -n B link set e2 master vrf-tr
ip -n B addr add "$B_SRC/32" dev src0
ip -n B addr add 198.51.100.1/30 dev e1
ip -n B addr add 198.51.100.5/30 dev e2
ip -n B addr add 10.1.0.1/16 dev lan0
for h in 1 2; do
	a=$H1_ADDR gw=198.51.100.1
	[ "$h" = 1 ] || { a=$H2_ADDR gw=198.51.100.5; }
	ip -n "H$h" link set e0 master vrf-tr
	ip -n "H$h" addr add "$a/30" dev e0
	ip -n "H$h" route add vrf vrf-tr "$B_SRC/32" via "$gw"
	ip -n "H$h" addr add 10.2.0.1/16 dev lan0
	# shut down until configured: no transient "immediately"
	cli "H$h" 'configure terminal' \
	    "ipsec key pre-share b.example.net transport-virtual-router tr key $K" \
	    'interface tunnel ipsec:branch' 'shutdown' 'virtual-router op' \
	    'tunnel transport-virtual-router tr' "tunnel source $a" \
	    "tunnel destination $B_SRC" 'tunnel establish responder-only' \
	    'ip address 10.0.0.2/30' 'no shutdown' 'exit' \
	    'ip route virtual-router op 10.1.0.0/16 tunnel ipsec:branch'
done
# the hooks first, so that the first tunnel-up runs them
cli B 'debug ipsec dpd' 'debug ipsec hooks'
cli B 'configure terminal' \
    "ipsec trap-hook $HOOKS/env-hook" \
    "ipsec trap-hook $HOOKS/sectun-snmptrap event tunnel-up tunnel-down peer-dead" \
    'ipsec local-identity fqdn b.example.net' \
    "ipsec key pre-share $H1_ADDR transport-virtual-router tr key $K" \
    "ipsec key pre-share $H2_ADDR transport-virtual-router tr key $K" \
    'interface tunnel ipsec:hub' 'shutdown' 'virtual-router op' \
    'tunnel transport-virtual-router tr' "tunnel source $B_SRC" \
    "tunnel destination $H1_ADDR" "tunnel destination backup $H2_ADDR" \
    "tunnel dpd mode always-send interval $INTERVAL threshold $THRESHOLD" \
    'ip address 10.0.0.1/30' 'no shutdown' 'exit' \
    'ip route virtual-router op 10.2.0.0/16 tunnel ipsec:hub'

# ---- 1. up on the primary ----------------------------------------------------

wait_for 30 "1: B's tunnel comes up on the primary H1" b_up_on primary
wait_for 10 "1: H1's tunnel is up" detail_has H1 branch 'operational state: up'
show_b
check_output "1: B: detail shows the backup destination" \
    "^  Backup destination: $H2_ADDR\$" b_detail
check_output "1: B: DPD in force: always-send, $INTERVAL s, threshold $THRESHOLD (tunnel)" \
    "DPD in force: always-send, interval $INTERVAL s, threshold $THRESHOLD \(tunnel\)" \
    b_detail
check_output "1: B: no failover yet" '^  Failovers: 0$' b_detail
check "1: B -> 10.2.0.1 ping through the tunnel to H1" b_ping
check_output "1: B: DPD probes go out (always-send)" 'DPD: probing' \
    cat /run/sectun-B/log

# ---- 2. H1's daemon killed: DPD, failover to H2 -------------------------------

m2=$(pid_mark)
t_kill=$(now)
check "2: SIGKILL H1's sectund" sectund_kill H1 KILL
note "H1 killed"
check_output "2: H1's kernel keeps its SAs (nobody answers IKE)" 'proto esp' \
    ip -n H1 xfrm state
wait_for $((LIMIT + INTERVAL + 10)) "2: B declares H1 dead (peer-dead hook ran)" \
    fired "$m2" peer-dead
wait_for 20 "2: B's tunnel comes up on the backup H2" b_up_on backup
show_b
if p=$(first_run "$m2" peer-dead); then
	d2=$(secs "$t_kill" "$(run_time "$p")")
	note "detection: peer-dead $d2 s after the SIGKILL"
	check "2: dead in $d2 s: >= interval x threshold ($LIMIT s), <= one interval more + 2 s" \
	    within "$d2" $((LIMIT - 1)) $((LIMIT + INTERVAL + 2))
fi
if p=$(first_run "$m2" tunnel-up); then
	f2=$(secs "$t_kill" "$(run_time "$p")")
	note "failover: up on H2 $f2 s after the SIGKILL (${d2:-?} s to detect)"
	check "2: up on H2 within 5 s of the detection ($f2 s after the kill)" \
	    within "$f2" "${d2:-0}" "$(awk -v d="${d2:-0}" 'BEGIN { print d + 5 }')"
fi
check_output "2: B: one failover" '^  Failovers: 1$' b_detail
check "2: B: detail events: peer dead (DPD), down, failed over, up" \
    events_in_order 'peer dead: .*(DPD|dead)' 'down: ' \
    "failed over to the backup destination ${H2_ADDR//./\\.}: " ' up$'
check_output "2: B: the IKE SA is with H2" "$H2_ADDR" cli B 'show ipsec ike-sa'
check "2: B -> 10.2.0.1 ping through the tunnel to H2" b_ping
check_output "2: H2's tunnel is up" 'operational state: up' \
    cli H2 'show ipsec tunnel ipsec:branch detail'

# ---- 5a. the hooks of step 2 --------------------------------------------------

ev2=$(events_since "$m2")
note "hook runs since the kill: $ev2"
# the hub's events, in the order they fired
check_output "5: events in order: peer-dead, tunnel-down, failover, then ike-up, tunnel-up" \
    '^peer-dead( ike-down)? tunnel-down( ike-down)? failover( ike-down)?( negotiation-failure)* (ike-up tunnel-up|tunnel-up ike-up)$' \
    echo "$ev2"
if p=$(first_run "$m2" peer-dead); then
	check "5: peer-dead: tunnel, dead hub's address/port/id, primary, DPD reason, OID, time" \
	    run_vars "$p" SECTUN_TUNNEL=hub SECTUN_PEER_ADDR="${H1_ADDR//./\\.}" \
	    SECTUN_PEER_PORT=500 SECTUN_LOCAL_ADDR="${B_SRC//./\\.}" \
	    SECTUN_PEER_ID="ipv4:${H1_ADDR//./\\.}" \
	    SECTUN_LOCAL_ID='fqdn:b\.example\.net' \
	    SECTUN_ACTIVE_DESTINATION=primary \
	    SECTUN_REASON='.*(DPD|dead).*' \
	    SECTUN_TRAP_OID='1\.3\.6\.1\.4\.1\.32473\.0\.2' \
	    SECTUN_TIME='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z' \
	    SECTUN_OPERATIONAL_VR=op SECTUN_TRANSPORT_VR=tr \
	    SECTUN_IFNAME='ipsec[0-9]+' SECTUN_IFINDEX='[0-9]+' SECTUN_IF_ID='[0-9]+'
fi
if p=$(first_run "$m2" tunnel-down); then
	check "5: tunnel-down: linkDown OID, a reason naming DPD" \
	    run_vars "$p" SECTUN_TUNNEL=hub \
	    SECTUN_TRAP_OID='1\.3\.6\.1\.6\.3\.1\.1\.5\.3' \
	    SECTUN_REASON='.*(DPD|dead).*'
	check "5: tunnel-down: the dead hub's address and id, primary" \
	    run_vars "$p" SECTUN_PEER_ADDR="${H1_ADDR//./\\.}" \
	    SECTUN_PEER_ID="ipv4:${H1_ADDR//./\\.}" \
	    SECTUN_LOCAL_ADDR="${B_SRC//./\\.}" \
	    SECTUN_ACTIVE_DESTINATION=primary
fi
if p=$(first_run "$m2" failover); then
	check "5: failover: active backup, the reason names the backup, OID .0.1" \
	    run_vars "$p" SECTUN_TUNNEL=hub SECTUN_ACTIVE_DESTINATION=backup \
	    SECTUN_REASON=".*backup.*${H2_ADDR//./\\.}.*" \
	    SECTUN_TRAP_OID='1\.3\.6\.1\.4\.1\.32473\.0\.1'
fi
if p=$(first_run "$m2" tunnel-up); then
	check "5: tunnel-up: linkUp OID, the new hub's address and id, backup" \
	    run_vars "$p" SECTUN_TUNNEL=hub SECTUN_PEER_ADDR="${H2_ADDR//./\\.}" \
	    SECTUN_PEER_ID="ipv4:${H2_ADDR//./\\.}" SECTUN_PEER_PORT=500 \
	    SECTUN_ACTIVE_DESTINATION=backup \
	    SECTUN_TRAP_OID='1\.3\.6\.1\.6\.3\.1\.1\.5\.4'
fi
if p=$(first_run "$m2" ike-up); then
	check "5: ike-up: the new hub, OID .0.3" \
	    run_vars "$p" SECTUN_PEER_ADDR="${H2_ADDR//./\\.}" \
	    SECTUN_TRAP_OID='1\.3\.6\.1\.4\.1\.32473\.0\.3'
fi
# every run so far: PATH and the 16 SECTUN_* variables, nothing else
env_clean() {
	local f bad=''
	for f in "$HENV"/*.env; do
		if grep -qvE '^(PATH|SECTUN_[A-Z_]+)=' "$f" ||
		    [ "$(grep -cE '^SECTUN_(TRAP|TRAP_OID|TUNNEL|IFNAME|IFINDEX|IF_ID|OPERATIONAL_VR|TRANSPORT_VR|LOCAL_ADDR|PEER_ADDR|PEER_PORT|LOCAL_ID|PEER_ID|ACTIVE_DESTINATION|REASON|TIME)=' "$f")" != 16 ] ||
		    [ "$(wc -l <"$f")" != 17 ] ||
		    ! grep -qx 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$f"; then
			bad+="$f:
$(cat "$f")
"
		fi
	done
	[ -z "$bad" ] || { printf '%s' "$bad"; return 1; }
	find "$HENV" -name '*.env' | wc -l
}
check_output "5: every hook run had PATH and the 16 SECTUN_* only" '^[0-9]+$' env_clean

# ---- 3. H1 back, B's link to H2 dead both ways: back to the primary --------

cli B 'configure terminal' 'interface tunnel ipsec:hub' \
    "tunnel dpd mode probe-idle interval $INTERVAL threshold $THRESHOLD"
check_output "3: B: DPD in force now probe-idle" \
    'DPD in force: probe-idle' b_detail
sectund_start H1
cli H1 'debug ipsec ike'
m3=$(pid_mark)
t_cut=$(now)
check "3: B's link to H2 drops all that arrives at B" link_cut B e2
check "3: ... and all that arrives at H2" link_cut H2 e0
note "B-H2 cut"
wait_for $((LIMIT + 2 * INTERVAL + 10)) "3: B declares H2 dead" \
    fired "$m3" peer-dead
wait_for 20 "3: B's tunnel comes up on the primary H1 again" b_up_on primary
show_b
if p=$(first_run "$m3" peer-dead); then
	d3=$(secs "$t_cut" "$(run_time "$p")")
	note "detection (probe-idle): peer-dead $d3 s after the cut"
	# idle: a probe after at most two intervals, then interval x threshold
	check "3: dead in $d3 s: >= $LIMIT s, <= two intervals more + 2 s" \
	    within "$d3" $((LIMIT - 1)) $((LIMIT + 2 * INTERVAL + 2))
	check "3: peer-dead names H2, backup" \
	    run_vars "$p" SECTUN_PEER_ADDR="${H2_ADDR//./\\.}" \
	    SECTUN_ACTIVE_DESTINATION=backup SECTUN_REASON='.*(DPD|dead).*'
fi
if p=$(first_run "$m3" failover); then
	check "3: failover back: active primary, the reason names H1" \
	    run_vars "$p" SECTUN_ACTIVE_DESTINATION=primary \
	    SECTUN_REASON=".*primary.*${H1_ADDR//./\\.}.*"
fi
if p=$(first_run "$m3" tunnel-up); then
	f3=$(secs "$t_cut" "$(run_time "$p")")
	note "failover back: up on H1 $f3 s after the cut"
	check "3: tunnel-up from H1 (${f3} s after the cut)" \
	    run_vars "$p" SECTUN_PEER_ADDR="${H1_ADDR//./\\.}" \
	    SECTUN_ACTIVE_DESTINATION=primary
fi
check_output "3: B: two failovers" '^  Failovers: 2$' b_detail
check_output "3: H1 (restarted after SIGKILL): one SA pair for the tunnel, none stale" \
    '^2$' sas_of H1
check "3: B -> 10.2.0.1 ping through the tunnel to H1 again" b_ping
check_output "3: link cut counters: H2 dropped B's probes" 'packets [1-9]' \
    ip netns exec H2 nft list table netdev lab_cut_e0

# ---- 4. the primary unreachable at start --------------------------------------

link_restore B e2
link_restore H2 e0
link_cut B e1
link_cut H1 e0
check "4: SIGTERM B's sectund" sectund_kill B TERM
m4=$(pid_mark)
t_start=$(now)
sectund_start B
cli B 'debug ipsec ike' 'debug ipsec dpd' 'debug ipsec hooks'
wait_for $((LIMIT + 25)) "4: B, restarted with H1 cut off, comes up on the backup" \
    b_up_on backup
show_b
# (the first IKE_SA_INIT goes out before "debug ipsec" is on again: timed
# from the start, which is a little earlier)
if p=$(first_run "$m4" failover); then
	d4=$(secs "$t_start" "$(run_time "$p")")
	note "IKE_SA_INIT to H1 given up: failover $d4 s after the start"
	check "4: IKE_SA_INIT unanswered: failover $d4 s after the start (>= $LIMIT s, <= $((LIMIT + 4)) s)" \
	    within "$d4" "$LIMIT" $((LIMIT + 4))
	check "4: failover: active backup" \
	    run_vars "$p" SECTUN_ACTIVE_DESTINATION=backup
fi
if p=$(first_run "$m4" tunnel-up); then
	note "start to up on the backup: $(secs "$t_start" "$(run_time "$p")") s"
fi
check_output "4: B: events: failed over to the backup" \
    'failed over to the backup destination 198\.51\.100\.6' b_detail
check_output "4: B: one failover since the start" '^  Failovers: 1$' b_detail
check "4: no peer-dead (nothing was established with H1)" no_run "$m4" peer-dead
check "4: B -> 10.2.0.1 ping through the tunnel to H2" b_ping
check_output "4: H2: one SA pair for the tunnel (step 3's replaced)" '^2$' sas_of H2
note "hook runs since B's restart: $(events_since "$m4")"

# ---- 4b. a key per hub: the backup's own key is used ---------------------

K2=dpd-lab-the-backup-hub-has-its-own-key
cli H2 'configure terminal' \
    "ipsec key pre-share b.example.net transport-virtual-router tr key $K2"
cli B 'configure terminal' \
    "ipsec key pre-share $H2_ADDR transport-virtual-router tr key $K2"
m5=$(pid_mark)
cli B 'clear ipsec tunnel ipsec:hub'
wait_for 12 "4b: H2 with a key of its own: B comes up on the backup again" \
    first_run "$m5" tunnel-up SECTUN_PEER_ADDR="$H2_ADDR"
check "4b: no auth-failure (B authenticates to H2 with H2's key)" \
    no_run "$m5" auth-failure
grep -E 'AUTH|pre-shared' /run/sectun-H2/log | tail -n 3 | sed 's/^/# H2 log: /' || :
# done with failing over: the tunnel rests while the traps are looked at
cli B 'configure terminal' 'interface tunnel ipsec:hub' 'shutdown'
note "hook runs since the clear: $(events_since "$m5")"
check_output "5: every hook run had PATH and the 16 SECTUN_* only" '^[0-9]+$' env_clean

# ---- 6. the sample hook's SNMP traps -----------------------------------------

traps() {	# PATTERN...: a received line holds every PATTERN
	local line p
	line=$(grep -F -- "$1" "$SNMP/traps.log" | head -n 1)
	[ -n "$line" ] || { echo "none with $1:"; cat "$SNMP/traps.log"; return 1; }
	for p in "$@"; do
		case $line in
		*"$p"*) ;;
		*) echo "missing: $p"; echo "line: $line"; return 1 ;;
		esac
	done
}
wait_for 10 "6: snmptrapd got IF-MIB::linkUp for the tunnel, with varbinds" \
    traps 'IF-MIB::linkUp' 'IF-MIB::ifDescr.' 'STRING: ipsec' \
    'SECTUN-MIB::sectunTunnelName.0 = STRING: hub' \
    'sectunTransportVr.0 = STRING: tr' \
    'sectunLocalGwAddr.0 = Hex-STRING: C0 00 02 64'
wait_for 10 "6: snmptrapd got SECTUN-MIB::sectunPeerDead, with varbinds" \
    traps 'SECTUN-MIB::sectunPeerDead' \
    'sectunTunnelName.0 = STRING: hub' \
    'sectunRemoteGwAddrType.0 = INTEGER: ipv4(1)' \
    'sectunRemoteGwAddr.0 = Hex-STRING: C6 33 64 02' \
    'sectunRemoteGwPort.0 = Gauge32: 500' \
    'sectunRemoteIdType.0 = INTEGER: ipv4Addr(1)' \
    "sectunRemoteIdValue.0 = STRING: $H1_ADDR" \
    'sectunActiveDestination.0 = INTEGER: primary(1)' \
    'sectunReason.0 = STRING: '
wait_for 10 "6: snmptrapd got IF-MIB::linkDown, with the reason" \
    traps 'IF-MIB::linkDown' 'IF-MIB::ifOperStatus.' 'INTEGER: down(2)' \
    'sectunTunnelName.0 = STRING: hub' 'sectunReason.0 = STRING: '

grep -oE '(IF|SECTUN)-MIB::(link(Up|Down)|sectun[A-Za-z]+)	' "$SNMP/traps.log" |
    tr -d '\t' | tr '\n' ' ' | sed 's/^/# traps received: /; s/$/\n/' || :
check "no trap hook failed (B's log)" \
    sh -c "! grep -E 'trap hook .*(cannot run|exited with|killed)' /run/sectun-B/log"
grep -E 'trap hook .*(cannot run|exited with|killed)' /run/sectun-B/log |
    head -5 | sed 's/^/# B log: /' || :
grep -E 'DPD|dead|failed over|IKE_SA_INIT' /run/sectun-B/log | tail -n 25 |
    sed 's/^/# B log: /' || :
done_checks
