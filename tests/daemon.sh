#!/bin/bash
# daemon.sh: sectund and sectun as programs: start-up, locking, the control
# socket's permissions, sectun -c and sectun < FILE, output filters,
# concurrent sessions, clean shutdown and restart, file modes.
# Run by make check (top_srcdir, top_builddir exported).

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# $W itself: traversable by others (not listable), so that the permission
# checks below are decided by the daemon's socket and directory modes.
chmod 0711 "$W"

# --- detached start ------------------------------------------------------

check "detached start returns 0" start_daemon a
A_PID=$(daemon_pid a)
if [ -n "$A_PID" ] && _is_sectund "$A_PID" &&
    tr '\0' ' ' <"/proc/$A_PID/cmdline" | grep -qF -- "--socket $W/a.sock"; then
	pass "pid file holds the daemon's pid ($A_PID)"
else
	fail "pid file holds the daemon's pid" \
	    "pid file: '$(cat "$W/a.pid" 2>/dev/null)'"
fi
check "the daemon process is alive" kill -0 "${A_PID:-0}"
# CLI.md: "-f stays in the foreground and logs to stderr; otherwise syslog"
if [ ! -s "$W/a.out" ] && [ ! -s "$W/a.err" ]; then
	pass "a successful detached start prints nothing (it logs to syslog)"
else
	fail "a successful detached start prints nothing (it logs to syslog)" \
	    "stdout: $(cat "$W/a.out")
stderr: $(cat "$W/a.err")"
fi
if [ -n "$A_PID" ] && [ "$(ps -o sid= -p "$A_PID" | tr -d ' ')" = "$A_PID" ]; then
	pass "the detached daemon leads its own session"
else
	fail "the detached daemon leads its own session"
fi
check "the daemon answers as soon as the start returned" \
    cli a -c 'show virtual-router'

# --- foreground (-f) -----------------------------------------------------

mkdir -p "$W/f"
"$SECTUND" --no-kernel -f --db "$W/f/db/sectun.db" --socket "$W/f.sock" \
    --pidfile "$W/f.pid" --hostname f </dev/null >"$W/f.out" 2>"$W/f.err" &
F_PID=$!
own_pid "$F_PID"
DPID[f]=$F_PID
if wait_socket "$W/f.sock" 50; then
	pass "-f: the socket appears"
else
	fail "-f: the socket appears" "$(cat "$W/f.err")"
fi
sleep 0.2
if grep -q 'ready' "$W/f.err"; then
	pass "-f: logs the ready line to stderr"
else
	fail "-f: logs the ready line to stderr" "stderr: $(cat "$W/f.err")"
fi
if kill -0 "$F_PID" 2>/dev/null && [ "$(cat "$W/f.pid" 2>/dev/null)" = "$F_PID" ]; then
	pass "-f: stays in the foreground (pid file holds the started pid)"
else
	fail "-f: stays in the foreground" "started $F_PID, pid file '$(cat "$W/f.pid" 2>/dev/null)'"
fi
check "-f: the daemon answers" cli f -c 'show virtual-router'

# --- one daemon per database ---------------------------------------------

"$SECTUND" --no-kernel --db "$W/a/db/sectun.db" --socket "$W/a2.sock" --pidfile "$W/a2.pid" \
    --hostname a2 </dev/null >/dev/null 2>"$W/a2.err"
rc=$?
if [ "$rc" = 1 ]; then
	pass "second sectund on the same database exits 1"
else
	fail "second sectund on the same database exits 1" "exit $rc"
	p=$(cat "$W/a2.pid" 2>/dev/null) && _is_sectund "$p" && own_pid "$p"
fi
if grep -qF "is in use by sectund pid $A_PID" "$W/a2.err"; then
	pass "it says: is in use by sectund pid $A_PID"
else
	fail "it says: is in use by sectund pid $A_PID" "stderr: $(cat "$W/a2.err")"
fi
check "the first daemon keeps answering" cli a -c 'show virtual-router'

# the same database, socket and pid file: the first must be left intact
"$SECTUND" --no-kernel --db "$W/a/db/sectun.db" --socket "$W/a.sock" --pidfile "$W/a.pid" \
    --hostname a2 </dev/null >/dev/null 2>"$W/a3.err"
rc=$?
if [ "$rc" = 1 ] && [ "$(cat "$W/a.pid")" = "$A_PID" ] && [ -S "$W/a.sock" ]; then
	pass "same database, socket and pid file: refused, the first's pid file and socket intact"
else
	fail "same database, socket and pid file: refused, the first's intact" \
	    "exit $rc, pid file '$(cat "$W/a.pid")', stderr: $(cat "$W/a3.err")"
fi
check "the first daemon still answers" cli a -c 'show virtual-router'

# --- one daemon per socket -----------------------------------------------

mkdir -p "$W/b"
"$SECTUND" --no-kernel --db "$W/b/db/sectun.db" --socket "$W/a.sock" --pidfile "$W/b.pid" \
    --hostname b </dev/null >/dev/null 2>"$W/b.err"
rc=$?
if [ "$rc" = 1 ] && grep -qF "in use by another sectund" "$W/b.err"; then
	pass "second sectund on another database, same socket: exit 1, in use by another sectund"
else
	fail "second sectund on the same socket refuses" \
	    "exit $rc, stderr: $(cat "$W/b.err")"
	p=$(cat "$W/b.pid" 2>/dev/null) && _is_sectund "$p" && own_pid "$p"
fi
check "the first daemon keeps answering on its socket" cli a -c 'show virtual-router'

# --- control socket permissions ------------------------------------------

mode=$(stat -c %a "$W/a.sock")
if [ "$mode" = 660 ]; then
	pass "control socket is mode 0660"
else
	fail "control socket is mode 0660" "mode $mode"
fi

SOCK[p]=$W/prun/sub/cli.sock		# a directory the daemon creates
mkdir -p "$W/prun"
chmod 0755 "$W/prun"
check "start with a socket in a directory of its own" start_daemon p
mode=$(stat -c %a "$W/prun/sub" 2>/dev/null)
if [ -n "$mode" ] && [ "${mode: -1}" = 0 ]; then
	pass "the socket directory it created is not world-accessible ($mode)"
else
	fail "the socket directory it created is not world-accessible" "mode '$mode'"
fi

if command -v setpriv >/dev/null 2>&1; then
	# a copy of the client others may run, wherever the build tree is
	mkdir -m 0755 "$W/bin"
	cp "$SECTUN" "$W/bin/sectun"
	chmod 0755 "$W/bin/sectun"
	nobody() {
		timeout 30 setpriv --reuid=65534 --regid=65534 --clear-groups \
		    "$W/bin/sectun" "$@"
	}
	for s in "$W/a.sock" "$(sock_of p)"; do
		nobody --socket "$s" -c 'show virtual-router' >"$W/nobody.out" 2>"$W/nobody.err"
		rc=$?
		if [ "$rc" = 2 ] && grep -q "cannot reach sectund" "$W/nobody.err" &&
		    [ ! -s "$W/nobody.out" ]; then
			pass "uid 65534 cannot connect to $s: exit 2, cannot reach sectund"
		else
			fail "uid 65534 cannot connect to $s" \
			    "exit $rc, stdout: $(cat "$W/nobody.out"), stderr: $(cat "$W/nobody.err")"
		fi
	done
else
	pass "# SKIP setpriv not installed: non-root connection not tested"
fi
stop_daemon p

# --- sectun -c -----------------------------------------------------------

cli a -c 'show virtual-router' >"$W/c.out" 2>"$W/c.err"
rc=$?
if [ "$rc" = 0 ] && [ "$(wc -l <"$W/c.out")" = 2 ] &&
    head -1 "$W/c.out" | grep -qi '^virtual router' &&
    sed -n 2p "$W/c.out" | grep -q '^default[[:space:]]' && [ ! -s "$W/c.err" ]; then
	pass "-c 'show virtual-router': a header and the default line only"
else
	fail "-c 'show virtual-router': a header and the default line only" \
	    "exit $rc, stdout:
$(cat -A "$W/c.out")
stderr: $(cat "$W/c.err")"
fi

cli a -c 'configure terminal' -c 'virtual-router 1bad!' -c 'hostname never-set' \
    >"$W/c.out" 2>"$W/c.err"
rc=$?
if [ "$rc" = 1 ] && [ ! -s "$W/c.out" ] && grep -q '^% ' "$W/c.err"; then
	pass "-c failing command: exit 1, '% ...' on stderr, nothing on stdout"
else
	fail "-c failing command: exit 1, '% ...' on stderr, nothing on stdout" \
	    "exit $rc, stdout: $(cat "$W/c.out"), stderr: $(cat "$W/c.err")"
fi
if cli a -c 'show running-config' >"$W/run.out" 2>&1 &&
    ! grep -q 'never-set' "$W/run.out" && ! grep -q '1bad' "$W/run.out"; then
	pass "-c: the commands after the failing one did not run"
else
	fail "-c: the commands after the failing one did not run" "$(cat "$W/run.out")"
fi

cli a -c 'frobnicate the widgets' >"$W/c.out" 2>"$W/c.err"
rc=$?
if [ "$rc" = 1 ] && [ ! -s "$W/c.out" ] && [ -s "$W/c.err" ]; then
	pass "-c unknown command: exit 1, error on stderr only"
else
	fail "-c unknown command: exit 1, error on stderr only" \
	    "exit $rc, stdout: $(cat "$W/c.out"), stderr: $(cat "$W/c.err")"
fi

"$SECTUN" --socket "$W/nowhere.sock" -c 'show virtual-router' >"$W/c.out" 2>"$W/c.err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'cannot reach sectund' "$W/c.err"; then
	pass "-c on a socket nobody listens on: exit 2, cannot reach sectund"
else
	fail "-c on a socket nobody listens on: exit 2" \
	    "exit $rc, stderr: $(cat "$W/c.err")"
fi

check_out "-c: a mode holds for the next command" "" \
    cli a -c 'configure terminal' -c 'hostname ahost'
if cli a -c 'show running-config' | grep -qx 'hostname ahost'; then
	pass "-c: hostname ahost took effect"
else
	fail "-c: hostname ahost took effect"
fi

# --- sectun < FILE -------------------------------------------------------

printf 'configure terminal\nvirtual-router fvr1\nvirtual-router fvr2 table 1234\n' \
    >"$W/good.conf"
cli a <"$W/good.conf" >"$W/c.out" 2>"$W/c.err"
rc=$?
if [ "$rc" = 0 ] && [ ! -s "$W/c.err" ]; then
	pass "< FILE of 3 good lines: exit 0"
else
	fail "< FILE of 3 good lines: exit 0" "exit $rc, stderr: $(cat "$W/c.err")"
fi
cli a -c 'show running-config' >"$W/run.out" 2>&1
if grep -qx 'virtual-router fvr1' "$W/run.out" &&
    grep -qx 'virtual-router fvr2 table 1234' "$W/run.out"; then
	pass "< FILE: its changes show in show running-config"
else
	fail "< FILE: its changes show in show running-config" "$(cat "$W/run.out")"
fi

printf 'configure terminal\nvirtual-router fbefore\nvirtual-router 3bad!\nvirtual-router fafter\n' \
    >"$W/bad.conf"
cli a <"$W/bad.conf" >"$W/c.out" 2>"$W/c.err"
rc=$?
if [ "$rc" = 1 ] && grep -q 'line 3' "$W/c.err" &&
    grep -qF 'virtual-router 3bad!' "$W/c.err" && [ ! -s "$W/c.out" ]; then
	pass "< FILE, bad 3rd line: exit 1, stderr names line 3 and the command"
else
	fail "< FILE, bad 3rd line: exit 1, stderr names line 3 and the command" \
	    "exit $rc, stdout: $(cat "$W/c.out"), stderr: $(cat "$W/c.err")"
fi
# sectun(8): "prints sectun: line N: COMMAND followed by the daemon's error"
if [ "$(head -1 "$W/c.err")" = 'sectun: line 3: virtual-router 3bad!' ] &&
    [ "$(wc -l <"$W/c.err")" -ge 2 ]; then
	pass "< FILE: 'sectun: line 3: COMMAND' comes first, then the daemon's error"
else
	fail "< FILE: 'sectun: line 3: COMMAND' comes first, then the daemon's error" \
	    "stderr: $(cat "$W/c.err")"
fi
cli a -c 'show running-config' >"$W/run.out" 2>&1
if grep -qx 'virtual-router fbefore' "$W/run.out" &&
    ! grep -q 'fafter' "$W/run.out" && ! grep -q '3bad' "$W/run.out"; then
	pass "< FILE: lines before the bad one took effect, line 4 did not run"
else
	fail "< FILE: lines before the bad one took effect, line 4 did not run" \
	    "$(cat "$W/run.out")"
fi

# blank lines and "!" lines are skipped, but counted in line numbers
printf '! saved configuration\n\nconfigure terminal\n!\n   \n! virtual-router 4bad!\nvirtual-router fcomment\n' \
    >"$W/comments.conf"
cli a <"$W/comments.conf" >"$W/c.out" 2>"$W/c.err"
rc=$?
if [ "$rc" = 0 ] && [ ! -s "$W/c.err" ] &&
    cli a -c 'show running-config' | grep -qx 'virtual-router fcomment'; then
	pass "< FILE: blank lines and ! lines are skipped"
else
	fail "< FILE: blank lines and ! lines are skipped" \
	    "exit $rc, stderr: $(cat "$W/c.err")"
fi
printf '! header\n\nconfigure terminal\n!\nvirtual-router 5bad!\n' >"$W/bad2.conf"
cli a <"$W/bad2.conf" >/dev/null 2>"$W/c.err"
rc=$?
if [ "$rc" = 1 ] && grep -q 'line 5' "$W/c.err"; then
	pass "< FILE: the line number counts the skipped lines (line 5)"
else
	fail "< FILE: the line number counts the skipped lines (line 5)" \
	    "exit $rc, stderr: $(cat "$W/c.err")"
fi

# --- abbreviations and output filters -------------------------------------

cli a -c 'show virtual-router' >"$W/vr.out" 2>&1
cli a -c 'show running-config' >"$W/run.out" 2>&1
check_out "'sh vir | inc default' prints only the default line" \
    "$(grep '^default' "$W/vr.out")" cli a -c 'sh vir | inc default'
check_out "'| include' with a pattern of several words" \
    "virtual-router fvr2 table 1234" \
    cli a -c 'show running-config | include fvr2 table'
check_out "'| count' prints the number of lines" \
    "$(wc -l <"$W/vr.out")" cli a -c 'show virtual-router | count'
check_out "'| begin' starts at the first matching line" \
    "$(sed -n '/^virtual-router/,$p' "$W/run.out")" \
    cli a -c 'show running-config | begin virtual-router'
check_out "'| exclude' drops the matching lines" \
    "$(grep -v 'virtual-router' "$W/run.out")" \
    cli a -c 'show running-config | exclude virtual-router'
check_out "abbreviated filter: 'sh run | ex virtual'" \
    "$(grep -v 'virtual' "$W/run.out")" \
    cli a -c 'sh run | ex virtual'

# --- hostile or careless clients ------------------------------------------

# more sessions than the daemon keeps: the extra ones are told and closed,
# the daemon keeps answering once they are gone
out=$(python3 - "$(sock_of a)" <<'PY'
import socket, sys, time
held, told = [], 0
for i in range(70):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    try:	# a refused session may be told and closed before this
        s.sendall(b"SECTUN/1 batch\n")
    except OSError:
        pass
    held.append(s)
time.sleep(0.5)
for s in held:
    s.settimeout(0.05)
    try:
        if b"too many CLI sessions" in s.recv(100):
            told += 1
    except OSError:
        pass
print(told)
PY
)
if [ "$out" = 6 ] && cli a -c 'show virtual-router' >/dev/null; then
	pass "sessions past 64 are refused with a message; the daemon goes on"
else
	fail "sessions past 64 are refused with a message; the daemon goes on" \
	    "told: '$out'"
fi

# a last line without its newline still runs, and runs as written
out=$(python3 - "$(sock_of a)" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"SECTUN/1 batch\nshow virtual-router | include default")
s.shutdown(socket.SHUT_WR)
print(s.makefile("rb").read().decode().splitlines()[1:])
PY
)
case "$out" in
*"default "*) pass "a batch line without its newline is run as written" ;;
*) fail "a batch line without its newline is run as written" "$out" ;;
esac

# a file where the socket should be is not replaced
echo precious >"$W/notasock"
if start_daemon n --socket "$W/notasock"; then
	fail "sectund refuses to replace a file that is not a socket" "started"
elif grep -q "is not a socket" "$W/n.err" && grep -q precious "$W/notasock"
then
	pass "sectund refuses to replace a file that is not a socket"
else
	fail "sectund refuses to replace a file that is not a socket" \
	    "$(cat "$W/n.err")"
fi

# --- concurrent sessions -------------------------------------------------

pids=""
for c in 1 2 3 4 5; do
	args=(-c 'configure terminal')
	for i in $(seq 1 20); do
		args+=(-c "virtual-router vr${c}_$i")
	done
	cli a "${args[@]}" >"$W/conc$c.out" 2>&1 &
	pids="$pids $!"
done
nok=0
for p in $pids; do
	wait "$p" && nok=$((nok + 1))
done
if [ "$nok" = 5 ]; then
	pass "5 concurrent sessions of 20 virtual-router commands all succeed"
else
	fail "5 concurrent sessions of 20 virtual-router commands all succeed" \
	    "$nok of 5 succeeded: $(cat "$W"/conc*.out)"
fi
n=$(cli a -c 'show running-config' | grep -c '^virtual-router vr[1-5]_[0-9]*$')
if [ "$n" = 100 ]; then
	pass "all 100 virtual routers are configured"
else
	fail "all 100 virtual routers are configured" "found $n"
fi

# --- SIGTERM -------------------------------------------------------------

cli f -c 'configure terminal' -c 'hostname fhost' -c 'virtual-router keep1' \
    -c 'virtual-router keep2 table 4321' >/dev/null 2>&1
kill -TERM "$F_PID"
if wait_gone "$F_PID" 50; then
	wait "$F_PID"
	rc=$?
	if [ "$rc" = 0 ]; then
		pass "SIGTERM: sectund -f exits 0 within 5 s"
	else
		fail "SIGTERM: sectund -f exits 0 within 5 s" "exit $rc"
	fi
else
	fail "SIGTERM: sectund -f exits 0 within 5 s" "still running after 5 s"
fi
if [ ! -e "$W/f.sock" ] && [ ! -e "$W/f.pid" ]; then
	pass "SIGTERM: socket and pid file removed"
else
	fail "SIGTERM: socket and pid file removed" "$(ls -l "$W/f.sock" "$W/f.pid" 2>&1)"
fi
check "restart on the same database" start_daemon f
cli f -c 'show running-config' >"$W/run.out" 2>&1
if grep -qx 'hostname fhost' "$W/run.out" &&
    grep -qx 'virtual-router keep1' "$W/run.out" &&
    grep -qx 'virtual-router keep2 table 4321' "$W/run.out"; then
	pass "after restart: hostname and virtual routers kept"
else
	fail "after restart: hostname and virtual routers kept" "$(cat "$W/run.out")"
fi

# the detached daemon too
if stop_daemon a; then
	pass "SIGTERM: the detached daemon is gone within 5 s"
else
	fail "SIGTERM: the detached daemon is gone within 5 s"
fi
if [ ! -e "$W/a.sock" ] && [ ! -e "$W/a.pid" ]; then
	pass "SIGTERM: the detached daemon removed socket and pid file"
else
	fail "SIGTERM: the detached daemon removed socket and pid file" \
	    "$(ls -l "$W/a.sock" "$W/a.pid" 2>&1)"
fi
check "restart the detached daemon" start_daemon a
cli a -c 'show running-config' >"$W/run.out" 2>&1
n=$(grep -c '^virtual-router vr[1-5]_[0-9]*$' "$W/run.out")
if grep -qx 'hostname ahost' "$W/run.out" && [ "$n" = 100 ] &&
    grep -qx 'virtual-router fvr2 table 1234' "$W/run.out"; then
	pass "after restart: hostname and all virtual routers kept"
else
	fail "after restart: hostname and all virtual routers kept" \
	    "$n of 100 vr*, config: $(head -5 "$W/run.out")"
fi

# --- SIGKILL: a stale socket and pid file need no manual cleanup -----------

kill -KILL "$(daemon_pid a)"
wait_gone "$(daemon_pid a)" 50
cli a -c 'show virtual-router' >/dev/null 2>"$W/c.err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'cannot reach sectund' "$W/c.err"; then
	pass "after SIGKILL: the client on the stale socket exits 2"
else
	fail "after SIGKILL: the client on the stale socket exits 2" \
	    "exit $rc, stderr: $(cat "$W/c.err")"
fi
check "after SIGKILL: the daemon starts again without cleanup" start_daemon a
if [ "$(cli a -c 'show running-config' | grep -c '^virtual-router vr')" = 100 ]; then
	pass "after SIGKILL: the configuration is intact"
else
	fail "after SIGKILL: the configuration is intact"
fi

# --- file modes ----------------------------------------------------------

for f in "$W/a/db/sectun.db" "$W/a/db/device.key"; do
	mode=$(stat -c %a "$f" 2>/dev/null)
	if [ -n "$mode" ] && [ $((8#$mode & 8#077)) = 0 ]; then
		pass "$(basename "$f") is not readable by others (mode $mode)"
	else
		fail "$(basename "$f") is not readable by others" "mode '$mode'"
	fi
done
size=$(stat -c %s "$W/a/db/device.key" 2>/dev/null)
if [ "$size" = 32 ]; then
	pass "device.key is 32 bytes"
else
	fail "device.key is 32 bytes" "size '$size'"
fi
bad=$(find "$W/a/db" -perm /077 -print)
if [ -z "$bad" ]; then
	pass "nothing in the database directory is accessible to others"
else
	fail "nothing in the database directory is accessible to others" \
	    "$(ls -ld $bad)"
fi

# --- the kernel side, in a network namespace of its own -------------------
# Without --no-kernel sectund applies each change; a refusal is said in the
# kernel's own words after the command, which still succeeds (the change is
# stored and retried). A gateway nobody can reach is refused by any kernel.
mkdir -p "$W/k"
out=$(unshare -n sh -c '
	"$1" --db "$2/db/sectun.db" --socket "$2/cli.sock" \
	    --pidfile "$2/pid" --hostname k 2>"$2/err" || exit 9
	"$3" --socket "$2/cli.sock" -c "configure terminal" \
	    -c "ip route 10.8.0.0/16 203.0.113.9" 2>&1
	echo "status $?"
	"$3" --socket "$2/cli.sock" -c "show running-config" | grep "^ip route"
	kill "$(cat "$2/pid")"' k "$SECTUND" "$W/k" "$SECTUN" 2>&1)
if printf '%s\n' "$out" | grep -q '^% Saved, but the kernel refused: add route 10.8.0.0/16 in table 254: Network is unreachable' &&
    printf '%s\n' "$out" | grep -q '^status 0$' &&
    printf '%s\n' "$out" | grep -q '^ip route 10.8.0.0/16 203.0.113.9$'; then
	pass "a kernel refusal is said in the kernel's words; the change is kept"
else
	fail "a kernel refusal is said in the kernel's words; the change is kept" "$out"
fi

stop_daemon a
stop_daemon f
summary
