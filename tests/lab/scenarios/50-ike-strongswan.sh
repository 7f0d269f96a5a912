#!/bin/bash
# 50-ike-strongswan: sectund (R1) negotiates IKEv2 with strongSwan's charon
# (R2). sectund's side: the tunnel's outer addresses in transport VR tr,
# its xfrm interface in operational VR op (as in 40-ike-sectund).
# strongSwan's side: R2's default VR, xfrm interfaces tied to its SAs by
# if_id_in/if_id_out (charon cannot bind to a VRF). One charon and one
# sectund run through every sub-case; between two, sectund's tunnel is shut
# down and reconfigured and charon reloads its swanctl.conf (--clear).
#
# (a) sectund initiates; FQDN ids; IKE aes256-sha256-modp2048 (sectund's
#     built-in default rule); ESP AES-GCM-128.
# (b) strongSwan initiates (sectund responder-only); strongSwan's id is
#     branch@swan.example.net while sectund keeps the key under
#     swan.example.net only; IKE aes128-sha256-ecp256 (group 19); ESP
#     AES-CBC-128 + HMAC-SHA2-256.
# (c) sectund initiates; IPv4 address ids (sectund has no local-identity);
#     IKE aes256-sha256-curve25519 (group 31); ESP AES-GCM-256.
# (d) (c) with another key at strongSwan: each side refuses the other's
#     AUTH, in both directions; nothing in either kernel, not even the
#     larval SA of the SPI sectund allocated for the refused CHILD_SA.
# (f) two sectund tunnels, in op and op2, to one strongSwan connection
#     with two children (own if_ids and traffic selectors): one IKE SA
#     (IKE AES-GCM-128, ecp256) carrying both CHILD_SAs (GCM, CBC/SHA2);
#     then both shut down in one CLI session: charon must hear of both.
# (e) sectund behind a NAT (masquerade, ports 40000-40999): NAT detected,
#     IKE and ESP on UDP 4500, ping through; strongSwan takes %any.
#
# Each sub-case checks sectund's CLI (tunnel up, IKE SA identities and
# algorithms), strongSwan's list-sas, both kernels' SAs (algorithm, key
# length, if_id) and a ping between LAN addresses behind each side.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"
. "$SECTUN_SRC/tests/lab/peers.sh"

PSK=sectun-lab-interop-key-0123456789
SWAN=/run/swan-R2

# ---- helpers ---------------------------------------------------------------

# R: no negotiated SA in R's kernel (prints what is there). A larval SA
# (an SPI allocated for a CHILD_SA being negotiated: no algorithm, no key)
# does not count here; (d) looks for those.
no_sas() {
	local st
	st=$(ip -n "$1" xfrm state)
	! printf '%s\n' "$st" | grep -qE '^\s*(aead|enc|auth|auth-trunc) ' ||
	    { printf '%s\n' "$st"; return 1; }
}

# TEXT REGEX: no line of TEXT matches (prints TEXT otherwise)
lacks() {
	! printf '%s\n' "$1" | grep -qE -- "$2" || { printf '%s\n' "$1"; return 1; }
}

# TEXT: TEXT is empty (prints it otherwise)
is_empty() {
	[ -z "$1" ] || { printf '%s\n' "$1"; return 1; }
}


# The state of a sub-case once it is up, taken once (each "ip netns exec"
# or CLI call costs a lot under TCG): sectund's IKE SAs and tunnel t1,
# both kernels' SAs, charon's list-sas. Checks then read the copies.
snap() {
	IKE1=$(cli R1 'show ipsec ike-sa detail' 2>&1) || :
	TUN1=$(cli R1 'show ipsec tunnel ipsec:t1 detail' 2>&1) || :
	XS1=$(ip -n R1 xfrm state 2>&1) || :
	XS2=$(ip -n R2 xfrm state 2>&1) || :
	SWS=$(swan_sas R2 2>&1) || :
}

# TEXT: prints it (for check_output on a snapshot)
in_() {
	printf '%s\n' "$1"
}

# TEXT REGEX...: TEXT matches every REGEX (prints TEXT and what is missing
# otherwise)
has_all() {
	local text=$1 re rc=0
	shift
	for re in "$@"; do
		printf '%s\n' "$text" | grep -qE -- "$re" || {
			echo "missing: $re"
			rc=1
		}
	done
	[ "$rc" = 0 ] || printf '%s\n' "$text"
	return "$rc"
}

# N REGEX TEXT: exactly N lines of TEXT match
n_lines() {
	local n
	n=$(printf '%s\n' "$3" | grep -cE -- "$2") || :
	[ "$n" = "$1" ] || { echo "$n lines match $2, not $1:"; printf '%s\n' "$3"; return 1; }
}

# charon's list-sas on one line
swan_sas_line() {
	swan_sas R2 | tr '\n' ' '
}

# CHILD: charon's list-sas from that child's line to its selectors
swan_child_sas() {
	swan_sas R2 | sed -n "/ $1: #/,/remote /p"
}

# sectund's pre-shared keys in its running-config; fails unless just one
r1_one_key() {
	local out
	out=$(cli R1 'show running-config' | grep 'ipsec key pre-share')
	printf '%s\n' "$out"
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ]
}

# A ping from a LAN address behind R1 (in VR $1) to one behind R2, and back.
ping_r1() {	# VR SRC DST
	ip netns exec R1 ip vrf exec "vrf-$1" ping -c 2 -i 0.2 -W 2 -q -I "$2" "$3"
}
ping_r2() {	# SRC DST
	ip netns exec R2 ping -c 2 -i 0.2 -W 2 -q -I "$1" "$2"
}

# Rewrites charon's swanctl.conf (swan_conf ARGS for connection $1) and
# reloads it, dropping what the previous sub-case loaded.
swan_reconf() {
	rm -f "$SWAN/swanctl.conf"
	swan_conf "$SWAN" "$@"
	swan_reload
}
swan_reload() {
	swanctl_in R2 --load-all --noprompt --clear --file "$SWAN/swanctl.conf"
}

# The end of a sub-case: sectund's tunnels shut down (the last one takes
# its IKE SA with it), any IKE SA left cleared, both kernels empty (R2's
# once charon has processed sectund's DELETE).
teardown() {	# TAG CONN [TUNNEL...]
	local tag=$1 conn=$2 t cmds=('configure terminal')
	shift 2
	for t in "${@:-t1}"; do
		cmds+=("interface tunnel ipsec:$t" 'shutdown' 'exit')
	done
	cli R1 "${cmds[@]}" 'end' 'clear ipsec ike-sa all' >/dev/null || :
	wait_for 10 "$tag: no SA left in R1's kernel" no_sas R1
	wait_for 10 "$tag: charon removed its SAs (sectund's DELETE)" no_sas R2
	no_sas R2 >/dev/null || swan_terminate R2 "$conn" >/dev/null 2>&1 || :
}

# Diagnostics after a sub-case's checks: sectund's and charon's words
# since the last call (read by bash: no process per line under TCG).
# shellcheck disable=SC2034 # log_news's namerefs
R1_LOGPOS=0 SWAN_LOGPOS=0
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
	echo "# ---- $1: charon log ----"
	log_news "$SWAN/charon.log" SWAN_LOGPOS '# swan: ' \
	    '[Ee]rror|fail|mismatch|no acceptable|invalid|unacceptable|refus|received|sending|established|selected|NAT'
}

# what the scenario does when, for the log
mark() {
	printf '# %(%T)T %s\n' -1 "$*"
}

# ---- the lab: R1 (sectund) -- R2 (charon); R1 -- NAT -- R2 for (e) ---------

t_start=$SECONDS
router R1
router R2
router NAT
wire R1 e0 R2 e0
wire R1 e1 NAT in0
wire NAT out0 R2 e1
sectund_start R1
mark "sectund started"
cli R1 'debug ipsec ike'
cli R1 'configure terminal' 'virtual-router tr table 100' \
    'virtual-router op table 200' 'virtual-router op2 table 300'
ip -n R1 link set e0 master vrf-tr
ip -n R1 link set e1 master vrf-tr
ip -n R1 -batch - <<'EOF'
addr add 192.0.2.1/24 dev e0
addr add 10.99.0.2/24 dev e1
link add lan0 type dummy
link set lan0 master vrf-op up
addr add 10.1.0.1/16 dev lan0
link add lan1 type dummy
link set lan1 master vrf-op2 up
addr add 10.11.0.1/16 dev lan1
EOF
ip -n R2 -batch - <<'EOF'
addr add 192.0.2.2/24 dev e0
addr add 198.51.100.2/24 dev e1
link add lan0 type dummy
link set lan0 up
addr add 10.2.0.1/16 dev lan0
link add lan1 type dummy
link set lan1 up
addr add 10.12.0.1/16 dev lan1
link add ipsec1 type xfrm dev e0 if_id 1
link set ipsec1 up
addr add 10.0.0.2/30 dev ipsec1
route add 10.1.0.0/16 dev ipsec1
link add ipsec2 type xfrm dev e0 if_id 2
link set ipsec2 up
addr add 10.0.1.2/30 dev ipsec2
route add 10.11.0.0/16 dev ipsec2
link add ipsec3 type xfrm dev e1 if_id 3
link set ipsec3 up
addr add 10.0.3.2/30 dev ipsec3
EOF
ip -n NAT -batch - <<'EOF'
addr add 10.99.0.1/24 dev in0
addr add 198.51.100.1/24 dev out0
EOF
nat_router NAT in0 out0 to :40000-40999
mark "routers wired"
check "charon starts in R2" swan_start R2
mark "charon started"

# sectund's tunnel t1 in op, its LAN route, shut down until a sub-case
# configures it
cli R1 'configure terminal' \
    "ipsec key pre-share swan.example.net transport-virtual-router tr key $PSK" \
    'ipsec transform-set gcm transform esp-aes128-gcm' \
    'ipsec transform-set cbc transform esp-aes128-sha256' \
    'ipsec transform-set gcm256 transform esp-aes256-gcm' \
    'interface tunnel ipsec:t1' 'shutdown' 'virtual-router op' \
    'tunnel transport-virtual-router tr' 'ip address 10.0.0.1/30' 'exit' \
    'ip route virtual-router op 10.2.0.0/16 tunnel ipsec:t1'
echo "# setup: $((SECONDS - t_start)) s"

# ---- (a) sectund initiates: FQDN, aes256-sha256-modp2048, AES-GCM-128 ----

t0=$SECONDS
swan_reconf a local=192.0.2.2 remote=192.0.2.1 local_id=@swan.example.net \
    remote_id=@r1.example.net psk=$PSK if_id=1 \
    ike=aes256-sha256-modp2048 esp=aes128gcm16 >/dev/null
cli R1 'configure terminal' 'ipsec local-identity fqdn r1.example.net' \
    'interface tunnel ipsec:t1' 'tunnel source 192.0.2.1' \
    'tunnel destination 192.0.2.2' \
    'tunnel peer-identity fqdn swan.example.net' 'tunnel transform-set gcm' \
    'tunnel establish immediately' 'no shutdown'
mark "(a) configured"
wait_for 40 "(a) R1: ipsec:t1 up, negotiated with strongSwan" \
    detail_has R1 t1 'operational state: up'
mark "(a) up"
snap
check "(a) R1: IKE SA initiator, FQDN ids, AES_CBC_256/PRF_HMAC_SHA2_256/HMAC_SHA2_256_128/MODP_2048" \
    has_all "$IKE1" 'Role: initiator, state: established' \
    'Local identity: fqdn:r1\.example\.net' 'Peer identity: fqdn:swan\.example\.net' \
    'Algorithms: .*AES_CBC_256' 'Algorithms: .*PRF_HMAC_SHA2_256' \
    'Algorithms: .*HMAC_SHA2_256_128' 'Algorithms: .*MODP_2048' 'DH group: 14' \
    'NAT: none' 'Child SAs: ipsec:t1 '
check_output "(a) R1: the tunnel's negotiated transform is AES-GCM-128" \
    'Negotiated transform: .*AES_GCM_16_128' in_ "$TUN1"
check "(a) strongSwan: IKE_SA with r1.example.net, AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048, CHILD_SA AES_GCM_16-128" \
    has_all "$SWS" "remote 'r1\.example\.net' @ 192\.0\.2\.1\[500\]" \
    'AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048' \
    'INSTALLED, TUNNEL, ESP:AES_GCM_16-128'
check "(a) R1: two ESP SAs rfc4106(gcm(aes)), 128-bit key, 128-bit ICV" \
    n_lines 2 '^\s*aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{40} 128$' "$XS1"
check "(a) R2: two ESP SAs rfc4106(gcm(aes)), 128-bit key, 128-bit ICV" \
    n_lines 2 '^\s*aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{40} 128$' "$XS2"
check "(a) R2: strongSwan's SAs carry if_id 1" n_lines 2 '^\s*if_id 0x1$' "$XS2"
check "(a) ping 10.1.0.1 (R1, op) -> 10.2.0.1 (R2) through the tunnel" \
    ping_r1 op 10.1.0.1 10.2.0.1
check "(a) ping 10.2.0.1 (R2) -> 10.1.0.1 (R1, op)" ping_r2 10.2.0.1 10.1.0.1
check_output "(a) strongSwan counted packets both ways" \
    'in .*, +[1-9][0-9]* bytes.*out .*, +[1-9][0-9]* bytes' swan_sas_line
mark "(a) checked"
diag a
teardown "(a)" a
echo "# (a): $((SECONDS - t0)) s"

# ---- (b) strongSwan initiates: user@fqdn, ecp256, AES-CBC + SHA2 ----------

t0=$SECONDS
cli R1 'configure terminal' 'ipsec ike-policy-rule 10' 'encryption aes128' \
    'hash sha256' 'group 19' 'exit' \
    'interface tunnel ipsec:t1' 'tunnel peer-identity user-fqdn branch@swan.example.net' \
    'tunnel transform-set cbc' 'tunnel establish responder-only' 'no shutdown'
swan_reconf b local=192.0.2.2 remote=192.0.2.1 \
    local_id=branch@swan.example.net remote_id=@r1.example.net psk=$PSK \
    if_id=1 ike=aes128-sha256-ecp256 esp=aes128-sha256 >/dev/null
check_output "(b) R1: the only key for strongSwan is under swan.example.net" \
    '^ *ipsec key pre-share swan\.example\.net transport-virtual-router tr key encrypted [^ ]+$' \
    r1_one_key
check_output "(b) R1: sectund does not initiate (responder-only)" 'No IKE SAs' \
    cli R1 'show ipsec ike-sa'
mark "(b) configured"
check_output "(b) strongSwan initiates: IKE_SA established with r1.example.net" \
    'IKE_SA b\[[0-9]+\] established between 192\.0\.2\.2\[branch@swan\.example\.net\]\.\.\.192\.0\.2\.1\[r1\.example\.net\]' \
    swan_initiate R2 b
wait_for 10 "(b) R1: ipsec:t1 up as responder" \
    detail_has R1 t1 'operational state: up'
snap
check "(b) R1: IKE SA responder, user-fqdn peer, AES_CBC_128/HMAC_SHA2_256_128/ECP_256" \
    has_all "$IKE1" 'Role: responder, state: established' \
    'Local identity: fqdn:r1\.example\.net' \
    'Peer identity: user-fqdn:branch@swan\.example\.net' \
    'Algorithms: .*AES_CBC_128' 'Algorithms: .*HMAC_SHA2_256_128' \
    'Algorithms: .*ECP_256' 'DH group: 19' 'Child SAs: ipsec:t1 '
check_output "(b) R1: negotiated transform AES-CBC-128 + HMAC-SHA2-256" \
    'Negotiated transform: .*AES_CBC_128.*HMAC_SHA2_256_128' in_ "$TUN1"
check "(b) strongSwan: AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256, CHILD_SA AES_CBC-128/HMAC_SHA2_256_128" \
    has_all "$SWS" "local  'branch@swan\.example\.net' @ 192\.0\.2\.2\[500\]" \
    'AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256' \
    'INSTALLED, TUNNEL, ESP:AES_CBC-128/HMAC_SHA2_256_128'
r=0
for xs in "$XS1" "$XS2"; do
	r=$((r + 1))
	check "(b) R$r: two SAs cbc(aes) with a 128-bit key" \
	    n_lines 2 '^\s*enc cbc\(aes\) 0x[0-9a-f]{32}$' "$xs"
	check "(b) R$r: two SAs hmac(sha256) truncated to 128 bits" \
	    n_lines 2 '^\s*auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128$' "$xs"
done
check "(b) ping R2 -> R1 LAN through the tunnel" ping_r2 10.2.0.1 10.1.0.1
check "(b) ping R1 -> R2 LAN" ping_r1 op 10.1.0.1 10.2.0.1
mark "(b) checked"
diag b
teardown "(b)" b
echo "# (b): $((SECONDS - t0)) s"

# ---- (c) address identities, curve25519, AES-GCM-256 ----------------------

t0=$SECONDS
swan_reconf c local=192.0.2.2 remote=192.0.2.1 local_id=192.0.2.2 \
    remote_id=192.0.2.1 psk=$PSK if_id=1 ike=aes256-sha256-x25519 \
    esp=aes256gcm16 >/dev/null
cli R1 'configure terminal' 'no ipsec local-identity' \
    "ipsec key pre-share 192.0.2.2 transport-virtual-router tr key $PSK" \
    'ipsec ike-policy-rule 10' 'encryption aes256' 'group 31' 'exit' \
    'interface tunnel ipsec:t1' 'tunnel peer-identity address 192.0.2.2' \
    'tunnel transform-set gcm256' 'tunnel establish immediately' 'no shutdown'
mark "(c) configured"
wait_for 40 "(c) R1: ipsec:t1 up" detail_has R1 t1 'operational state: up'
mark "(c) up"
snap
check "(c) R1: IPv4 identities both sides, AES_CBC_256/CURVE25519" \
    has_all "$IKE1" 'Role: initiator, state: established' \
    'Local identity: ipv4:192\.0\.2\.1' 'Peer identity: ipv4:192\.0\.2\.2' \
    'Algorithms: .*AES_CBC_256' 'Algorithms: .*CURVE25519' 'DH group: 31'
check_output "(c) R1: negotiated transform AES-GCM-256" \
    'Negotiated transform: .*AES_GCM_16_256' in_ "$TUN1"
check "(c) strongSwan: address ids, CURVE_25519, CHILD_SA AES_GCM_16-256" \
    has_all "$SWS" "local  '192\.0\.2\.2' @ 192\.0\.2\.2\[500\]" \
    "remote '192\.0\.2\.1' @ 192\.0\.2\.1\[500\]" \
    'AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519' \
    'INSTALLED, TUNNEL, ESP:AES_GCM_16-256'
check "(c) R1: two SAs rfc4106(gcm(aes)) with a 256-bit key" \
    n_lines 2 '^\s*aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{72} 128$' "$XS1"
check "(c) R2: two SAs rfc4106(gcm(aes)) with a 256-bit key" \
    n_lines 2 '^\s*aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{72} 128$' "$XS2"
check "(c) ping R1 -> R2 LAN" ping_r1 op 10.1.0.1 10.2.0.1
check "(c) ping R2 -> R1 LAN" ping_r2 10.2.0.1 10.1.0.1
mark "(c) checked"
diag c
teardown "(c)" c
echo "# (c): $((SECONDS - t0)) s"

# ---- (d) a wrong key at strongSwan: refused both ways ---------------------

t0=$SECONDS
swan_reconf d local=192.0.2.2 remote=192.0.2.1 local_id=192.0.2.2 \
    remote_id=192.0.2.1 psk=not-the-key-sectund-has-0123456789 if_id=1 \
    ike=aes256-sha256-x25519 esp=aes256gcm16 >/dev/null
cli R1 'configure terminal' 'interface tunnel ipsec:t1' 'no shutdown'
wait_for 40 "(d) R1: strongSwan refused sectund's AUTH (AUTHENTICATION_FAILED)" \
    detail_has R1 t1 'AUTHENTICATION_FAILED'
cli R1 'configure terminal' 'interface tunnel ipsec:t1' \
    'tunnel establish responder-only'
check_output "(d) strongSwan: sectund's AUTH did not verify" \
    "shared key for '[^']*' - '192\.0\.2\.1', but MAC mismatched" swan_log R2
check_error "(d) strongSwan initiates: sectund refuses with AUTHENTICATION_FAILED" \
    'received AUTHENTICATION_FAILED notify error' swan_initiate R2 d
snap
check_output "(d) R1: refused strongSwan's AUTH: pre-shared key mismatch" \
    'pre-shared key mismatch' in_ "$TUN1"
check_output "(d) R1: the tunnel is down, no SA" 'Inbound SA: none' in_ "$TUN1"
check_output "(d) R1: no IKE SA left" 'No IKE SAs' in_ "$IKE1"
check "(d) R1: no SA in the kernel, not even the SPI allocated for the refused CHILD_SA" \
    is_empty "$XS1"
check "(d) R2: no SA in the kernel" is_empty "$XS2"
check "(d) strongSwan: no IKE_SA" lacks "$SWS" ESTABLISHED
mark "(d) checked"
diag d
teardown "(d)" d
echo "# (d): $((SECONDS - t0)) s"

# ---- (f) two tunnels (op, op2), one IKE SA, two CHILD_SAs -----------------

t0=$SECONDS
cat >"$SWAN/swanctl.conf" <<EOF
connections {
  f {
    version = 2
    local_addrs = 192.0.2.2
    remote_addrs = 192.0.2.1
    proposals = aes128gcm16-prfsha256-ecp256
    mobike = no
    encap = no
    local {
      auth = psk
      id = swan.example.net
    }
    remote {
      auth = psk
      id = r1.example.net
    }
    children {
      f1 {
        local_ts = 10.2.0.0/16
        remote_ts = 10.1.0.0/16
        esp_proposals = aes128gcm16
        if_id_in = 1
        if_id_out = 1
      }
      f2 {
        local_ts = 10.12.0.0/16
        remote_ts = 10.11.0.0/16
        esp_proposals = aes128-sha256
        if_id_in = 2
        if_id_out = 2
      }
    }
  }
}
secrets {
  ike-f {
    id-local = swan.example.net
    id-remote = r1.example.net
    secret = "$PSK"
  }
}
EOF
check "(f) strongSwan loads connection f with children f1 and f2" swan_reload
cli R1 'configure terminal' 'ipsec local-identity fqdn r1.example.net' \
    'ipsec ike-policy-rule 10' 'encryption aes128-gcm' 'hash sha256' \
    'group 19' 'exit' \
    'interface tunnel ipsec:t1' 'tunnel peer-identity fqdn swan.example.net' \
    'tunnel transform-set gcm' 'tunnel local selector 10.1.0.0/16' \
    'tunnel peer selector 10.2.0.0/16' 'tunnel establish immediately' 'exit' \
    'interface tunnel ipsec:t2' 'shutdown' 'virtual-router op2' \
    'tunnel transport-virtual-router tr' 'tunnel source 192.0.2.1' \
    'tunnel destination 192.0.2.2' 'tunnel peer-identity fqdn swan.example.net' \
    'tunnel transform-set cbc' 'tunnel local selector 10.11.0.0/16' \
    'tunnel peer selector 10.12.0.0/16' 'ip address 10.0.1.1/30' 'exit' \
    'ip route virtual-router op2 10.12.0.0/16 tunnel ipsec:t2' \
    'interface tunnel ipsec:t1' 'no shutdown' 'exit' \
    'interface tunnel ipsec:t2' 'no shutdown' 'exit'
mark "(f) configured"
for t in t1 t2; do
	wait_for 40 "(f) R1: ipsec:$t up" detail_has R1 "$t" 'operational state: up'
done
snap
IKES1=$(cli R1 'show ipsec ike-sa' 2>&1) || :
check_output "(f) R1: one IKE SA lists both tunnels' CHILD_SAs" \
    '^[^ ]+ +[^ ]+ +tr +initiator +established +ipsec:t[12] .*ipsec:t[12] ' \
    in_ "$IKES1"
check "(f) R1: exactly one IKE SA" n_lines 1 '^IKE SA ' "$IKE1"
check "(f) R1: its algorithms: AES_GCM_16_128 (no integrity), group 19" \
    has_all "$IKE1" 'Algorithms: .*AES_GCM_16_128' 'DH group: 19'
check "(f) strongSwan: one IKE_SA" n_lines 1 'ESTABLISHED, IKEv2' "$SWS"
check "(f) strongSwan: children f1 (AES-GCM, 10.2/16 === 10.1/16) and f2 (AES-CBC/SHA2, 10.12/16 === 10.11/16)" \
    has_all "$SWS" \
    'f1: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL, ESP:AES_GCM_16-128' \
    'f2: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL, ESP:AES_CBC-128/HMAC_SHA2_256_128' \
    'local +10\.2\.0\.0/16' 'remote +10\.1\.0\.0/16' \
    'local +10\.12\.0\.0/16' 'remote +10\.11\.0\.0/16'
check "(f) R2: two SAs with if_id 1, two with if_id 2" \
    has_all "$(printf '%s\n' "$XS2" | grep -E '^\s*if_id' | sort | uniq -c)" \
    '^ *2\s+if_id 0x1$' '^ *2\s+if_id 0x2$'
check "(f) R1: four SAs (two GCM, two CBC)" \
    n_lines 4 '^\s*(aead rfc4106|enc cbc)' "$XS1"
check "(f) ping 10.1.0.1 (op) -> 10.2.0.1 through t1" ping_r1 op 10.1.0.1 10.2.0.1
check "(f) ping 10.11.0.1 (op2) -> 10.12.0.1 through t2" \
    ping_r1 op2 10.11.0.1 10.12.0.1
check "(f) ping 10.12.0.1 -> 10.11.0.1 (op2) back through ipsec2" \
    ping_r2 10.12.0.1 10.11.0.1
check_output "(f) R2: op2's traffic went through f2 (if_id 2)" \
    'in .*, +[1-9][0-9]* bytes' swan_child_sas f2
mark "(f) checked"
diag f
# Both tunnels shut down in one CLI session: t1's CHILD_SA DELETE is still
# in flight when t2 (the IKE SA's last child) goes, with the IKE SA.
cli R1 'configure terminal' 'interface tunnel ipsec:t1' 'shutdown' 'exit' \
    'interface tunnel ipsec:t2' 'shutdown' 'end' >/dev/null
wait_for 10 "(f) both shut down at once: charon got DELETEs for both CHILD_SAs and the IKE SA (its kernel is empty)" \
    no_sas R2
mark "(f) both tunnels shut down"
diag "f, shut down"
! swan_sas R2 | grep -q ESTABLISHED || swan_terminate R2 f >/dev/null 2>&1 || :
teardown "(f)" f t1 t2
echo "# (f): $((SECONDS - t0)) s"

# ---- (e) sectund behind a NAT ---------------------------------------------

t0=$SECONDS
ip -n R2 route replace 10.1.0.0/16 dev ipsec3
swan_reconf e local=198.51.100.2 remote=%any local_id=@swan.example.net \
    remote_id=@r1.example.net psk=$PSK if_id=3 ike=aes256-sha256-modp2048 \
    esp=aes128gcm16 >/dev/null
cli R1 'configure terminal' 'no ipsec ike-policy-rule 10' \
    'ip route virtual-router tr 198.51.100.0/24 10.99.0.1' \
    'interface tunnel ipsec:t1' 'tunnel source 10.99.0.2' \
    'tunnel destination 198.51.100.2' 'no tunnel local selector' \
    'no tunnel peer selector' 'no shutdown'
check_output "(e) R1: tr routes 198.51.100.0/24 via the NAT" '198\.51\.100\.0/24 via 10\.99\.0\.1' \
    ip -n R1 route show vrf vrf-tr
mark "(e) configured"
wait_for 40 "(e) R1: ipsec:t1 up through the NAT" \
    detail_has R1 t1 'operational state: up'
mark "(e) up"
snap
check "(e) R1: sectund found itself behind a NAT, IKE on 4500" \
    has_all "$IKE1" 'NAT: local behind NAT' \
    'IKE SA 10\.99\.0\.2(:|\[|\.)4500' 'Peer identity: fqdn:swan\.example\.net'
check "(e) strongSwan: peer r1.example.net at the NAT's address and port, CHILD_SA in UDP" \
    has_all "$SWS" "remote 'r1\.example\.net' @ 198\.51\.100\.1\[40[0-9]{3}\]" \
    'INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-128'
check_output "(e) strongSwan logged the peer behind a NAT" 'remote host is behind NAT' \
    swan_log R2
check "(e) R1: kernel SAs in UDP, 4500 to 4500" \
    n_lines 2 'encap type espinudp sport 4500 dport 4500 ' "$XS1"
check "(e) R2: kernel SAs in UDP to and from the NAT's port" \
    n_lines 2 'encap type espinudp sport (4500 dport 40[0-9]{3}|40[0-9]{3} dport 4500) ' "$XS2"
check "(e) ping R1 LAN -> R2 LAN through the NAT" ping_r1 op 10.1.0.1 10.2.0.1
check "(e) ping R2 LAN -> R1 LAN back through the NAT" ping_r2 10.2.0.1 10.1.0.1
check_output "(e) NAT: IKE and ESP on UDP 4500 were translated" \
    'udp dport 4500 counter packets [1-9]' nat_counters NAT
diag e
echo "# (e): $((SECONDS - t0)) s"
echo "# total: $((SECONDS - t_start)) s"
done_checks
