#!/bin/sh
# hook_snmp.sh: the sample hook hooks/sectun-snmptrap sends real SNMPv2c
# notifications that a real snmptrapd (net-snmp) receives and decodes with
# mibs/SECTUN-MIB.txt; the MIB lints clean with smilint and agrees with
# lib/trap.h; and the hook works from trap_raise's clean environment.
# Loopback only, a high port, every wait bounded; snmptrapd is stopped at
# the end. Run by make check (top_srcdir, top_builddir exported).
# Prints "N passed, N failed" last; exits 1 when a check failed.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
HOOK=$top_srcdir/hooks/sectun-snmptrap
MIB=$top_srcdir/mibs/SECTUN-MIB.txt

for c in snmptrapd snmptrap snmptranslate awk; do
	if ! command -v "$c" >/dev/null 2>&1; then
		echo "# $c is not installed (scripts/install-deps.sh): skipped"
		exit 77
	fi
done

W=$(mktemp -d "${TMPDIR:-/tmp}/hook_snmp.XXXXXX") || exit 99
TRAPD_PID=
NPASS=0
NFAIL=0

cleanup() {
	rc=$?
	if [ -n "$TRAPD_PID" ]; then
		kill "$TRAPD_PID" 2>/dev/null
		wait "$TRAPD_PID" 2>/dev/null
	fi
	rm -rf "$W"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

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

# Minimal stand-ins for the IETF modules SECTUN-MIB imports (Debian ships
# none of them in main), written here, defining only what is used.
stubs() {
	cat >"$1/SNMPv2-SMI.txt" <<'EOF'
SNMPv2-SMI DEFINITIONS ::= BEGIN
-- Test stand-in: only the names SECTUN-MIB and the stand-ins use.
org            OBJECT IDENTIFIER ::= { iso 3 }
dod            OBJECT IDENTIFIER ::= { org 6 }
internet       OBJECT IDENTIFIER ::= { dod 1 }
mgmt           OBJECT IDENTIFIER ::= { internet 2 }
mib-2          OBJECT IDENTIFIER ::= { mgmt 1 }
private        OBJECT IDENTIFIER ::= { internet 4 }
enterprises    OBJECT IDENTIFIER ::= { private 1 }
snmpV2         OBJECT IDENTIFIER ::= { internet 6 }
MODULE-IDENTITY MACRO ::= BEGIN END
OBJECT-IDENTITY MACRO ::= BEGIN END
OBJECT-TYPE MACRO ::= BEGIN END
NOTIFICATION-TYPE MACRO ::= BEGIN END
Integer32 ::= INTEGER (-2147483648..2147483647)
Unsigned32 ::= [APPLICATION 2] IMPLICIT INTEGER (0..4294967295)
END
EOF
	cat >"$1/SNMPv2-TC.txt" <<'EOF'
SNMPv2-TC DEFINITIONS ::= BEGIN
-- Test stand-in.
TEXTUAL-CONVENTION MACRO ::= BEGIN END
DisplayString ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "255a"
    STATUS current
    DESCRIPTION "Test stand-in."
    SYNTAX OCTET STRING (SIZE (0..255))
END
EOF
	cat >"$1/SNMPv2-CONF.txt" <<'EOF'
SNMPv2-CONF DEFINITIONS ::= BEGIN
-- Test stand-in.
OBJECT-GROUP MACRO ::= BEGIN END
NOTIFICATION-GROUP MACRO ::= BEGIN END
MODULE-COMPLIANCE MACRO ::= BEGIN END
END
EOF
	cat >"$1/SNMP-FRAMEWORK-MIB.txt" <<'EOF'
SNMP-FRAMEWORK-MIB DEFINITIONS ::= BEGIN
-- Test stand-in.
IMPORTS TEXTUAL-CONVENTION FROM SNMPv2-TC;
SnmpAdminString ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "255t"
    STATUS current
    DESCRIPTION "Test stand-in."
    SYNTAX OCTET STRING (SIZE (0..255))
END
EOF
	cat >"$1/INET-ADDRESS-MIB.txt" <<'EOF'
INET-ADDRESS-MIB DEFINITIONS ::= BEGIN
-- Test stand-in.
IMPORTS Unsigned32 FROM SNMPv2-SMI
    TEXTUAL-CONVENTION FROM SNMPv2-TC;
InetAddressType ::= TEXTUAL-CONVENTION
    STATUS current
    DESCRIPTION "Test stand-in."
    SYNTAX INTEGER { unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4),
        dns(16) }
InetAddress ::= TEXTUAL-CONVENTION
    STATUS current
    DESCRIPTION "Test stand-in."
    SYNTAX OCTET STRING (SIZE (0..255))
InetPortNumber ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "d"
    STATUS current
    DESCRIPTION "Test stand-in."
    SYNTAX Unsigned32 (0..65535)
END
EOF
	cat >"$1/IF-MIB.txt" <<'EOF'
IF-MIB DEFINITIONS ::= BEGIN
-- Test stand-in: InterfaceIndexOrZero, linkUp/linkDown and their objects.
IMPORTS OBJECT-TYPE, NOTIFICATION-TYPE, Integer32, mib-2, snmpV2
        FROM SNMPv2-SMI
    TEXTUAL-CONVENTION, DisplayString FROM SNMPv2-TC;
InterfaceIndexOrZero ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "d"
    STATUS current
    DESCRIPTION "Test stand-in."
    SYNTAX Integer32 (0..2147483647)
interfaces OBJECT IDENTIFIER ::= { mib-2 2 }
ifTable OBJECT-TYPE
    SYNTAX SEQUENCE OF IfEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION "Test stand-in."
    ::= { interfaces 2 }
ifEntry OBJECT-TYPE
    SYNTAX IfEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION "Test stand-in."
    INDEX { ifIndex }
    ::= { ifTable 1 }
IfEntry ::= SEQUENCE { ifIndex Integer32, ifDescr DisplayString,
    ifAdminStatus INTEGER, ifOperStatus INTEGER }
ifIndex OBJECT-TYPE
    SYNTAX Integer32 (1..2147483647)
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "Test stand-in."
    ::= { ifEntry 1 }
ifDescr OBJECT-TYPE
    SYNTAX DisplayString (SIZE (0..255))
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "Test stand-in."
    ::= { ifEntry 2 }
ifAdminStatus OBJECT-TYPE
    SYNTAX INTEGER { up(1), down(2), testing(3) }
    MAX-ACCESS read-write
    STATUS current
    DESCRIPTION "Test stand-in."
    ::= { ifEntry 7 }
ifOperStatus OBJECT-TYPE
    SYNTAX INTEGER { up(1), down(2), testing(3), unknown(4),
        dormant(5), notPresent(6), lowerLayerDown(7) }
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "Test stand-in."
    ::= { ifEntry 8 }
snmpModules OBJECT IDENTIFIER ::= { snmpV2 3 }
snmpMIB OBJECT IDENTIFIER ::= { snmpModules 1 }
snmpMIBObjects OBJECT IDENTIFIER ::= { snmpMIB 1 }
snmpTraps OBJECT IDENTIFIER ::= { snmpMIBObjects 5 }
linkDown NOTIFICATION-TYPE
    OBJECTS { ifIndex, ifAdminStatus, ifOperStatus }
    STATUS current
    DESCRIPTION "Test stand-in."
    ::= { snmpTraps 3 }
linkUp NOTIFICATION-TYPE
    OBJECTS { ifIndex, ifAdminStatus, ifOperStatus }
    STATUS current
    DESCRIPTION "Test stand-in."
    ::= { snmpTraps 4 }
END
EOF
}

mkdir "$W/mibs" "$W/hook" "$W/persist"
stubs "$W/mibs"
cp "$MIB" "$W/mibs/"
export SNMP_PERSISTENT_DIR="$W/persist"	# not /var/lib/snmp
SNMPCONFPATH="$W/persist"		# no snmp.conf of the host's
export SNMPCONFPATH

# --- the MIB ---------------------------------------------------------------

if command -v smilint >/dev/null 2>&1; then
	if out=$(SMIPATH="$W/mibs" smilint -l 9 -s "$MIB" 2>&1) &&
	    [ -z "$out" ]; then
		pass "SECTUN-MIB lints clean (smilint -l 9 -s)"
	else
		fail "SECTUN-MIB lints clean (smilint -l 9 -s)" "$out"
	fi
else
	fail "smilint is installed (Debian smitools)"
fi

oid_of() {
	snmptranslate -M "$W/mibs" -m SECTUN-MIB:IF-MIB -On "$1" \
	    2>>"$W/translate.err"
}

root=$(sed -n 's/^#define TRAP_ENTERPRISE_OID[[:space:]]*"\(.*\)"$/\1/p' \
    "$top_srcdir/lib/trap.h")
got=$(oid_of SECTUN-MIB::sectunMIB)
if [ -n "$root" ] && [ "$got" = ".$root" ]; then
	pass "SECTUN-MIB's root is lib/trap.h's TRAP_ENTERPRISE_OID ($root)"
else
	fail "SECTUN-MIB's root is lib/trap.h's TRAP_ENTERPRISE_OID" \
	    "lib/trap.h: '$root', MIB: '$got'
$(cat "$W/translate.err")"
fi
hook_root=$(sed -n 's/^MIB_OID=//p' "$HOOK")
if [ "$hook_root" = "$root" ]; then
	pass "the sample hook's MIB_OID is lib/trap.h's"
else
	fail "the sample hook's MIB_OID is lib/trap.h's" "hook: '$hook_root'"
fi

# the OIDs lib/trap.c puts in SECTUN_TRAP_OID (tests/check_trap.c checks
# the same list against trap_event_oid)
bad=
for pair in sectunFailover:0.1 sectunPeerDead:0.2 sectunIkeUp:0.3 \
    sectunIkeDown:0.4 sectunAuthFailure:0.5 sectunNegotiationFailure:0.6 \
    sectunRekey:0.7 sectunReason:1.17; do
	got=$(oid_of "SECTUN-MIB::${pair%%:*}")
	[ "$got" = ".$root.${pair#*:}" ] || bad="$bad
${pair%%:*}: $got, want .$root.${pair#*:}"
done
if [ -z "$bad" ]; then
	pass "the notifications' OIDs are those of lib/trap.c"
else
	fail "the notifications' OIDs are those of lib/trap.c" "$bad
$(cat "$W/translate.err")"
fi

# --- a real snmptrapd on 127.0.0.1 ---------------------------------------

cat >"$W/snmptrapd.conf" <<EOF
authCommunity log public
EOF
LOG=$W/traps.log
port=
i=0
while [ $i -lt 5 ] && [ -z "$port" ]; do
	p=$((20000 + ($$ + i * 7919) % 40000))
	: >"$LOG"
	snmptrapd -f -C -c "$W/snmptrapd.conf" -M "$W/mibs" -m ALL -n \
	    -Lf "$LOG" "udp:127.0.0.1:$p" >/dev/null 2>&1 &
	TRAPD_PID=$!
	j=0
	while [ $j -lt 50 ]; do	# 5 s: up, or gone
		if grep -q "NET-SNMP version" "$LOG" 2>/dev/null &&
		    ! grep -q "couldn't open" "$LOG"; then
			port=$p
			break
		fi
		kill -0 "$TRAPD_PID" 2>/dev/null || break
		sleep 0.1
		j=$((j + 1))
	done
	if [ -z "$port" ]; then
		kill "$TRAPD_PID" 2>/dev/null
		wait "$TRAPD_PID" 2>/dev/null
		TRAPD_PID=
	fi
	i=$((i + 1))
done
if [ -z "$port" ]; then
	fail "snmptrapd listens on 127.0.0.1" "$(cat "$LOG")"
	echo "$NPASS passed, $NFAIL failed"
	exit 1
fi
pass "snmptrapd listens on udp:127.0.0.1:$port with SECTUN-MIB loaded"

# the hook as installed, next to its .conf
cp "$HOOK" "$W/hook/sectun-snmptrap"
chmod 0755 "$W/hook/sectun-snmptrap"
cat >"$W/hook/sectun-snmptrap.conf" <<EOF
TARGET=udp:127.0.0.1:$port
COMMUNITY=public
EOF

# Waits (at most 5 s) for a received notification whose line has $1;
# prints that line.
received() {
	k=0
	while [ $k -lt 50 ]; do
		line=$(grep -F -- "$1" "$LOG" | tail -n 1)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		sleep 0.1
		k=$((k + 1))
	done
	return 1
}

# has DESC LINE TEXT...: every TEXT is in the received LINE
has() {
	desc=$1
	line=$2
	shift 2
	missing=
	for want; do
		case $line in
		*"$want"*) ;;
		*) missing="$missing
missing: $want" ;;
		esac
	done
	if [ -z "$missing" ]; then
		pass "$desc"
	else
		fail "$desc" "$missing
received: $line"
	fi
}

run_hook() {	# VAR=VALUE...: the hook under the daemon's clean environment
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    SECTUN_TUNNEL= SECTUN_IFNAME= SECTUN_IFINDEX= SECTUN_IF_ID= \
	    SECTUN_OPERATIONAL_VR= SECTUN_TRANSPORT_VR= SECTUN_LOCAL_ADDR= \
	    SECTUN_PEER_ADDR= SECTUN_PEER_PORT= SECTUN_LOCAL_ID= \
	    SECTUN_PEER_ID= SECTUN_ACTIVE_DESTINATION= SECTUN_REASON= \
	    SECTUN_TIME=2026-01-31T12:00:00Z "$@" \
	    "$W/hook/sectun-snmptrap" </dev/null >"$W/hook.out" 2>&1
}

if run_hook SECTUN_TRAP=peer-dead SECTUN_TRAP_OID="$root.0.2" \
    SECTUN_TUNNEL=wan1 SECTUN_IFNAME=ipsec-wan1 SECTUN_IFINDEX=42 \
    SECTUN_IF_ID=7 SECTUN_OPERATIONAL_VR=red SECTUN_TRANSPORT_VR=internet \
    SECTUN_LOCAL_ADDR=192.0.2.1 SECTUN_PEER_ADDR=2001:db8::2 \
    SECTUN_PEER_PORT=4500 SECTUN_LOCAL_ID=fqdn:r1.example.net \
    SECTUN_PEER_ID=user-fqdn:ops@example.net \
    SECTUN_ACTIVE_DESTINATION=backup \
    SECTUN_REASON="DPD: 5 probes unanswered, 'it' \"said\" -x \$(id)"; then
	pass "peer-dead: the hook exits 0"
else
	fail "peer-dead: the hook exits 0" "$(cat "$W/hook.out")"
fi
if line=$(received "SECTUN-MIB::sectunPeerDead"); then
	pass "peer-dead: snmptrapd received SECTUN-MIB::sectunPeerDead"
	has "peer-dead: the varbinds arrived with their types" "$line" \
	    "sectunTunnelName.0 = STRING: wan1" \
	    "sectunTunnelIfName.0 = STRING: ipsec-wan1" \
	    "sectunTunnelIfIndex.0 = INTEGER: 42" \
	    "sectunTunnelIfId.0 = Gauge32: 7" \
	    "sectunOperationalVr.0 = STRING: red" \
	    "sectunTransportVr.0 = STRING: internet" \
	    "sectunLocalGwAddrType.0 = INTEGER: ipv4(1)" \
	    "sectunLocalGwAddr.0 = Hex-STRING: C0 00 02 01" \
	    "sectunRemoteGwAddrType.0 = INTEGER: ipv6(2)" \
	    "sectunRemoteGwAddr.0 = Hex-STRING: 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 02" \
	    "sectunRemoteGwPort.0 = Gauge32: 4500" \
	    "sectunLocalIdType.0 = INTEGER: fqdn(2)" \
	    "sectunLocalIdValue.0 = STRING: r1.example.net" \
	    "sectunRemoteIdType.0 = INTEGER: userFqdn(3)" \
	    "sectunRemoteIdValue.0 = STRING: ops@example.net" \
	    "sectunActiveDestination.0 = INTEGER: backup(2)" \
	    "sectunReason.0 = STRING: DPD: 5 probes unanswered, 'it' \"said\" -x \$(id)"
else
	fail "peer-dead: snmptrapd received SECTUN-MIB::sectunPeerDead" \
	    "$(cat "$LOG")"
fi

if run_hook SECTUN_TRAP=tunnel-down SECTUN_TRAP_OID=1.3.6.1.6.3.1.1.5.3 \
    SECTUN_TUNNEL=branch SECTUN_IFNAME=ipsec-branch SECTUN_IFINDEX=17 \
    SECTUN_REASON="administratively down (shutdown)"; then
	pass "tunnel-down: the hook exits 0"
else
	fail "tunnel-down: the hook exits 0" "$(cat "$W/hook.out")"
fi
if line=$(received "IF-MIB::linkDown"); then
	pass "tunnel-down: snmptrapd received IF-MIB::linkDown"
	has "tunnel-down: IF-MIB's varbinds first, then SECTUN-MIB's" "$line" \
	    "IF-MIB::linkDown	IF-MIB::ifIndex.17 = INTEGER: 17	IF-MIB::ifAdminStatus.17 = INTEGER: down(2)	IF-MIB::ifOperStatus.17 = INTEGER: down(2)	IF-MIB::ifDescr.17 = STRING: ipsec-branch	SECTUN-MIB::sectunTunnelName.0 = STRING: branch" \
	    "sectunRemoteGwAddrType.0 = INTEGER: unknown(0)" \
	    "sectunRemoteGwAddr.0 = \"\"" \
	    "sectunActiveDestination.0 = INTEGER: none(0)"
else
	fail "tunnel-down: snmptrapd received IF-MIB::linkDown" "$(cat "$LOG")"
fi

if run_hook SECTUN_TRAP=tunnel-up SECTUN_TRAP_OID=1.3.6.1.6.3.1.1.5.4 \
    SECTUN_TUNNEL=branch SECTUN_IFNAME=ipsec-branch SECTUN_IFINDEX=17 \
    SECTUN_ACTIVE_DESTINATION=primary &&
    line=$(received "IF-MIB::linkUp"); then
	has "tunnel-up: IF-MIB::linkUp, up and up" "$line" \
	    "IF-MIB::ifAdminStatus.17 = INTEGER: up(1)" \
	    "IF-MIB::ifOperStatus.17 = INTEGER: up(1)" \
	    "sectunActiveDestination.0 = INTEGER: primary(1)"
else
	fail "tunnel-up: snmptrapd received IF-MIB::linkUp" \
	    "$(cat "$W/hook.out" "$LOG")"
fi

if run_hook SECTUN_TRAP= SECTUN_TRAP_OID=; then
	fail "without SECTUN_TRAP the hook fails" "$(cat "$W/hook.out")"
elif grep -q "SECTUN_TRAP" "$W/hook.out"; then
	pass "without SECTUN_TRAP the hook fails, saying why"
else
	fail "without SECTUN_TRAP the hook fails, saying why" \
	    "$(cat "$W/hook.out")"
fi

# --- the daemon's runner: trap_raise -> the hook -> snmptrapd -------------

CHECK_TRAP=$top_builddir/tests/check_trap
if [ -x "$CHECK_TRAP" ]; then
	if out=$(CK_RUN_CASE=snmp CK_VERBOSITY=normal \
	    SECTUN_TEST_SNMP_HOOK="$W/hook/sectun-snmptrap" "$CHECK_TRAP" 2>&1)
	then
		pass "trap_raise runs the sample hook, which exits 0"
	else
		fail "trap_raise runs the sample hook, which exits 0" "$out"
	fi
	if line=$(received "SECTUN-MIB::sectunAuthFailure"); then
		has "trap_raise: snmptrapd received sectunAuthFailure, control characters replaced" \
		    "$line" "sectunTunnelName.0 = STRING: 	" \
		    "sectunRemoteIdType.0 = INTEGER: fqdn(2)" \
		    "sectunRemoteIdValue.0 = STRING: evil?.example" \
		    "sectunReason.0 = STRING: AUTHENTICATION_FAILED from 2001:db8::2"
	else
		fail "trap_raise: snmptrapd received sectunAuthFailure" \
		    "$(cat "$LOG")"
	fi
else
	fail "tests/check_trap is built" "$CHECK_TRAP"
fi

kill "$TRAPD_PID" 2>/dev/null
wait "$TRAPD_PID" 2>/dev/null
TRAPD_PID=

echo "$NPASS passed, $NFAIL failed"
[ "$NFAIL" = 0 ]
