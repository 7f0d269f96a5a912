#!/bin/sh
# The whole test suite: dependencies, a -Werror build with every test, then
# every test again under AddressSanitizer and UBSan, then make install, then
# the network lab (tests/lab/) on the -Werror build.
# Run as root (the daemon tests need it). Prints "N passed, N failed" last.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${SECTUN_BUILD:-$top/build}
"$top/scripts/install-deps.sh"
rm -rf "$out"
status=0
extra_pass=0
extra_fail=0

result() {	# PASS|FAIL text: a check of this script's own
	echo "$1: $2"
	if [ "$1" = PASS ]; then
		extra_pass=$((extra_pass + 1))
	else
		extra_fail=$((extra_fail + 1))
		status=1
	fi
}

run_check() {	# BUILDDIR [TESTS]
	if [ -n "${2:-}" ]; then
		make -C "$1" -k check TESTS="$2" || status=1
	else
		make -C "$1" -k check || status=1
	fi
	# every test's own output, for the record
	for log in "$1"/tests/*.log; do
		[ -f "$log" ] && sed -n '/%: Checks:\|passed, \|^not ok\|:F:\|:E:/p' "$log"
	done
}

echo "== build with -Werror; all tests"
"$top/scripts/build.sh" "$out/werror" --enable-werror
run_check "$out/werror"

echo "== all tests again under ASan and UBSan (the daemon and client too)"
"$top/scripts/build.sh" "$out/asan" --enable-werror --enable-asan --enable-ubsan
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	run_check "$out/asan"

echo "== fuzzing: the IKE decoder and SK decryption, bounded, under ASan/UBSan"
if FUZZ_BUILD="$out/fuzz" "$top/scripts/fuzz.sh" 30; then
	result PASS "fuzz_ike_msg, fuzz_ike_sk: 30 s each without a crash"
else
	result FAIL "scripts/fuzz.sh: a crash input is in $out/fuzz"
fi

echo "== make install"
dest="$out/destdir"
if make -C "$out/werror" install DESTDIR="$dest" >/dev/null; then
	for f in usr/local/sbin/sectund usr/local/bin/sectun \
	    usr/local/share/man/man8/sectund.8 usr/local/share/man/man8/sectun.8 \
	    usr/local/share/man/man7/sectun-commands.7 \
	    usr/local/share/sectun/schema/001-initial.sql \
	    usr/local/lib/systemd/system/sectund.service \
	    usr/local/share/man/man7/sectun-hooks.7 \
	    usr/local/share/snmp/mibs/SECTUN-MIB.txt \
	    usr/local/share/sectun/hooks/sectun-snmptrap; do
		if [ -e "$dest/$f" ]; then
			result PASS "installed /$f"
		else
			result FAIL "not installed /$f"
		fi
	done
else
	result FAIL "make install"
fi

echo "== man pages"
for m in "$top"/man/*.[78]; do
	if warn=$(LC_ALL=C.UTF-8 groff -man -ww -z "$m" 2>&1) && [ -z "$warn" ]; then
		result PASS "$(basename "$m") renders without warnings"
	else
		result FAIL "$(basename "$m"): $warn"
	fi
done

echo "== network lab: tests/lab/ scenarios on Debian's kernel under qemu"
# One boot for all scenarios; a lab that cannot run counts as failed.
"$top/tests/lab/lab.sh" --build "$out/werror" 2>&1 | tee "$out/lab.log"
lab=$(sed -n 's/^lab: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
    "$out/lab.log" | tail -n 1)
if [ -z "$lab" ]; then
	result FAIL "the lab printed no 'lab: N passed, M failed' line"
	lab="0 0"
fi
[ "${lab#* }" = 0 ] || status=1

# One closing line over every check: Check's per-program counts, the
# scripts' own "N passed, N failed" lines, the lab's scenarios and this
# script's checks.
counts=$(cat "$out"/werror/tests/*.log "$out"/asan/tests/*.log 2>/dev/null | awk '
	/%: Checks: / { gsub(",", ""); p += $3 - $5 - $7; f += $5 + $7 }
	/^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3 }
	END { print p + 0, f + 0 }')
pass=$(( ${counts% *} + ${lab% *} + extra_pass ))
fail=$(( ${counts#* } + ${lab#* } + extra_fail ))
[ "$status" -eq 0 ] || [ "$fail" -gt 0 ] || fail=1
echo "$pass passed, $fail failed"
exit "$status"
