#!/bin/bash
# 55-ike-libreswan: sectund (R1) negotiates IKEv2 with libreswan's pluto
# (R2). sectund's side: outer addresses in transport VR tr, the xfrm
# interface in operational VR op (as in 40-ike-sectund). libreswan's side:
# R2's default VR, its SAs tied by ipsec-interface=5 to ipsec5 (if_id 5,
# made beforehand; never ipsec1 for libreswan). PSK, FQDN identities.
#
# (a) sectund initiates; IKE aes256-sha2_256-modp2048 (sectund's built-in
#     default rule, group 14); ESP AES-GCM-128.
# (b) pluto initiates (sectund responder-only); IKE aes128-sha2_256-ecp_256
#     (sectund rule 10, group 19); ESP AES-CBC-128 + HMAC-SHA2-256.
#
# Each checks sectund's CLI (tunnel up, IKE SA identities and algorithms),
# pluto's own view (its log's "established" lines, whack --trafficstatus),
# both kernels' SAs and a ping between LAN addresses behind each side.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"
. "$SECTUN_SRC/tests/lab/peers.sh"

PSK=sectun-lab-interop-key-0123456789
PLUTO_DIR=/run/pluto-R2

# R CMD REGEX...: the CLI command's output matches every REGEX
cli_has_all() {
	local r=$1 cmd=$2 out re rc=0
	shift 2
	out=$(cli "$r" "$cmd" 2>&1) || rc=$?
	for re in "$@"; do
		printf '%s\n' "$out" | grep -qE -- "$re" || {
			echo "missing: $re"
			rc=1
		}
	done
	[ "$rc" = 0 ] || printf '%s\n' "$out"
	return "$rc"
}

# REGEX CMD...: prints how many output lines match
count() {
	local re=$1
	shift
	"$@" 2>&1 | grep -cE -- "$re" || true
}

no_sas() {	# R: no SA in R's kernel (prints what is there)
	local st
	st=$(ip -n "$1" xfrm state)
	[ -z "$st" ] || { printf '%s\n' "$st"; return 1; }
}

ping_r1() {	# SRC DST: from R1's op
	ip netns exec R1 ip vrf exec vrf-op ping -c 2 -i 0.2 -W 2 -q -I "$1" "$2"
}
ping_r2() {	# SRC DST
	ip netns exec R2 ping -c 2 -i 0.2 -W 2 -q -I "$1" "$2"
}

# Diagnostics after a sub-case's checks: sectund's and pluto's words since
# the last call (read by bash: no process per line under TCG).
# shellcheck disable=SC2034 # log_news's namerefs
R1_LOGPOS=0 PLUTO_LOGPOS=0
# FILE POSVAR PREFIX REGEX: the new lines of FILE matching REGEX, last 40
log_news() {
	local -n pos=$2
	local lines=() keep=() l from
	mapfile -t -s "$pos" lines <"$1" || :
	pos=$((pos + ${#lines[@]}))
	for l in "${lines[@]}"; do
		[[ $l =~ $4 ]] && keep+=("$3$l")
	done
	from=$((${#keep[@]} > 40 ? ${#keep[@]} - 40 : 0))
	[ "${#keep[@]}" = 0 ] || printf '%s\n' "${keep[@]:from}"
}
diag() {	# TAG
	echo "# ---- $1: sectund R1 log (IKE) ----"
	log_news /run/sectun-R1/log R1_LOGPOS '# R1: ' 'IKE|tunnel ipsec|warn|error'
	echo "# ---- $1: pluto log ----"
	log_news "$PLUTO_DIR/pluto.log" PLUTO_LOGPOS '# pluto: ' '"[ab]"|ERROR|rror|fail'
}

# The end of a sub-case: sectund's tunnel shut down (it takes its IKE SA
# with it), both kernels empty (R2's once pluto has processed sectund's
# DELETE), pluto's conn deleted.
teardown() {	# TAG CONN
	cli R1 'configure terminal' 'interface tunnel ipsec:t1' 'shutdown' \
	    'end' 'clear ipsec ike-sa all' >/dev/null || :
	wait_for 10 "$1: no SA left in R1's kernel" no_sas R1
	wait_for 10 "$1: pluto removed its SAs (sectund's DELETE)" no_sas R2
	whack_in R2 --delete --name "$2" >/dev/null 2>&1 || :
}

mark() {	# what the scenario does when, for the log
	printf '# %(%T)T %s\n' -1 "$*"
}

t_start=$SECONDS
router R1
router R2
wire R1 e0 R2 e0
sectund_start R1
cli R1 'debug ipsec ike'
cli R1 'configure terminal' 'virtual-router tr table 100' \
    'virtual-router op table 200'
ip -n R1 link set e0 master vrf-tr
ip -n R1 -batch - <<'EOF'
addr add 192.0.2.1/24 dev e0
link add lan0 type dummy
link set lan0 master vrf-op up
addr add 10.1.0.1/16 dev lan0
EOF
ip -n R2 -batch - <<'EOF'
addr add 192.0.2.2/24 dev e0
link add lan0 type dummy
link set lan0 up
addr add 10.2.0.1/16 dev lan0
link add ipsec5 type xfrm dev e0 if_id 5
link set ipsec5 up
addr add 10.0.0.2/30 dev ipsec5
route add 10.1.0.0/16 dev ipsec5
EOF
check "pluto starts in R2" pluto_start R2
cli R1 'configure terminal' \
    'ipsec local-identity fqdn r1.example.net' \
    "ipsec key pre-share pluto.example.net transport-virtual-router tr key $PSK" \
    'ipsec transform-set gcm transform esp-aes128-gcm' \
    'ipsec transform-set cbc transform esp-aes128-sha256' \
    'interface tunnel ipsec:t1' 'shutdown' 'virtual-router op' \
    'tunnel transport-virtual-router tr' 'tunnel source 192.0.2.1' \
    'tunnel destination 192.0.2.2' 'tunnel peer-identity fqdn pluto.example.net' \
    'ip address 10.0.0.1/30' 'exit' \
    'ip route virtual-router op 10.2.0.0/16 tunnel ipsec:t1'
echo "# setup: $((SECONDS - t_start)) s"

# ---- (a) sectund initiates: modp2048, AES-GCM-128 -------------------------

t0=$SECONDS
pluto_conf "$PLUTO_DIR" a local=192.0.2.2 remote=192.0.2.1 \
    local_id=@pluto.example.net remote_id=@r1.example.net psk=$PSK if_id=5 \
    ike=aes256-sha2_256-modp2048 esp=aes_gcm128
check "(a) pluto loads conn a" pluto_load R2 a
cli R1 'configure terminal' 'interface tunnel ipsec:t1' \
    'tunnel transform-set gcm' 'tunnel establish immediately' 'no shutdown'
mark "(a) configured"
wait_for 40 "(a) R1: ipsec:t1 up, negotiated with libreswan" \
    detail_has R1 t1 'operational state: up'
mark "(a) up"
check "(a) R1: IKE SA initiator, FQDN ids, AES-CBC-256/SHA2-256/MODP-2048" \
    cli_has_all R1 'show ipsec ike-sa detail' 'Role: initiator, state: established' \
    'Local identity: fqdn:r1\.example\.net' 'Peer identity: fqdn:pluto\.example\.net' \
    'Algorithms: .*AES_CBC_256' 'Algorithms: .*HMAC_SHA2_256_128' 'DH group: 14' \
    'Child SAs: ipsec:t1 '
check_output "(a) R1: negotiated transform AES-GCM-128" \
    'Negotiated transform: .*AES_GCM_16_128' cli R1 'show ipsec tunnel ipsec:t1 detail'
check_output "(a) pluto: IKE SA with @r1.example.net" \
    "established IKE SA.*@r1\.example\.net" pluto_log R2
check_output "(a) pluto: IKE cipher AES_CBC_256, HMAC_SHA2_256, MODP2048" \
    'cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048' pluto_log R2
check_output "(a) pluto: Child SA AES_GCM_16_128" \
    'established Child SA.*xfrm=AES_GCM_16_128' pluto_log R2
check_output "(a) pluto: whack lists the IPsec SA with R1's id" \
    "\"a\".*type=ESP, .*id='@r1\.example\.net'" pluto_status R2
for r in R1 R2; do
	check_output "(a) $r: two SAs rfc4106(gcm(aes)) with a 128-bit key" '^2$' \
	    count '^\s*aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{40} 128$' ip -n "$r" xfrm state
done
check_output "(a) R2: libreswan's SAs carry if_id 5" '^2$' \
    count '^\s*if_id 0x5$' ip -n R2 xfrm state
check "(a) ping 10.1.0.1 (R1, op) -> 10.2.0.1 (R2)" ping_r1 10.1.0.1 10.2.0.1
check "(a) ping 10.2.0.1 (R2) -> 10.1.0.1 (R1, op)" ping_r2 10.2.0.1 10.1.0.1
check_output "(a) pluto counted the bytes" 'inBytes=[1-9]' pluto_status R2
diag a
teardown "(a)" a
echo "# (a): $((SECONDS - t0)) s"

# ---- (b) pluto initiates: ecp256, AES-CBC + SHA2 --------------------------

t0=$SECONDS
cli R1 'configure terminal' 'ipsec ike-policy-rule 10' 'encryption aes128' \
    'hash sha256' 'group 19' 'exit' 'interface tunnel ipsec:t1' \
    'tunnel transform-set cbc' 'tunnel establish responder-only' 'no shutdown'
pluto_conf "$PLUTO_DIR" b local=192.0.2.2 remote=192.0.2.1 \
    local_id=@pluto.example.net remote_id=@r1.example.net psk=$PSK if_id=5 \
    ike=aes128-sha2_256-ecp_256 esp=aes128-sha2_256
check "(b) pluto loads conn b" pluto_load R2 b
check_output "(b) pluto initiates: Child SA established" \
    'established Child SA' pluto_up R2 b
wait_for 10 "(b) R1: ipsec:t1 up as responder" \
    detail_has R1 t1 'operational state: up'
mark "(b) up"
check "(b) R1: IKE SA responder, AES-CBC-128/SHA2-256/ECP-256" \
    cli_has_all R1 'show ipsec ike-sa detail' 'Role: responder, state: established' \
    'Peer identity: fqdn:pluto\.example\.net' 'Algorithms: .*AES_CBC_128' \
    'Algorithms: .*HMAC_SHA2_256_128' 'DH group: 19' 'Child SAs: ipsec:t1 '
check_output "(b) R1: negotiated transform AES-CBC-128 + HMAC-SHA2-256" \
    'Negotiated transform: .*AES_CBC_128.*HMAC_SHA2_256_128' \
    cli R1 'show ipsec tunnel ipsec:t1 detail'
check_output "(b) pluto: IKE cipher AES_CBC_128, HMAC_SHA2_256, DH19" \
    'cipher=AES_CBC_128 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=DH19' pluto_log R2
check_output "(b) pluto: Child SA AES_CBC_128-HMAC_SHA2_256_128" \
    'established Child SA.*xfrm=AES_CBC_128-HMAC_SHA2_256_128' pluto_log R2
for r in R1 R2; do
	check_output "(b) $r: two SAs cbc(aes) with a 128-bit key" '^2$' \
	    count '^\s*enc cbc\(aes\) 0x[0-9a-f]{32}$' ip -n "$r" xfrm state
	check_output "(b) $r: two SAs hmac(sha256) truncated to 128 bits" '^2$' \
	    count '^\s*auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128$' ip -n "$r" xfrm state
done
check "(b) ping R2 -> R1 LAN" ping_r2 10.2.0.1 10.1.0.1
check "(b) ping R1 -> R2 LAN" ping_r1 10.1.0.1 10.2.0.1
check_output "(b) pluto counted the bytes" "\"b\".*inBytes=[1-9]" pluto_status R2
diag b
teardown "(b)" b
echo "# (b): $((SECONDS - t0)) s"
echo "# total: $((SECONDS - t_start)) s"
done_checks
