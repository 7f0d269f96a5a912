#!/bin/sh
# Fuzz the IKEv2 codec: scripts/fuzz.sh [SECONDS]
# Builds tests/fuzz/fuzz_ike_*.c with clang and libFuzzer (ASan, UBSan),
# linking lib/ike_codec.c, lib/ike_payload.c, lib/ike_names.c and
# lib/ike_crypto.c directly (no configure needed), into $FUZZ_BUILD
# (default /tmp/sectun-fuzz), and runs each harness for SECONDS (default
# 30) on its seeds from tests/fuzz/corpus/. New inputs go to
# $FUZZ_BUILD/corpus-*, never into the source tree. Prints executions per
# second; exits non-zero on any crash, leak, timeout or sanitizer report
# (the input is kept in $FUZZ_BUILD as crash-*, leak-*, timeout-*...).
# The seeds come from SECTUN_WRITE_CORPUS=tests/fuzz/corpus
# BUILD/tests/check_ike_codec.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-30}
out=${FUZZ_BUILD:-/tmp/sectun-fuzz}
cc=${CLANG:-clang}
case $secs in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
command -v "$cc" >/dev/null || { echo "fuzz: $cc not found" >&2; exit 2; }
crypto=$(pkg-config --cflags --libs libcrypto 2>/dev/null || echo -lcrypto)
mkdir -p "$out"
status=0
for h in msg sk; do
	bin=$out/fuzz_ike_$h
	log=$out/fuzz_ike_$h.log
	# shellcheck disable=SC2086 # $crypto is a word list
	"$cc" -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -g -O1 -Wall -Wextra \
	    -Wno-unused-parameter -Wno-missing-field-initializers \
	    -I"$top/lib" -o "$bin" "$top/tests/fuzz/fuzz_ike_$h.c" \
	    "$top/lib/ike_codec.c" "$top/lib/ike_payload.c" \
	    "$top/lib/ike_names.c" "$top/lib/ike_crypto.c" $crypto
	mkdir -p "$out/corpus-$h"
	if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    "$bin" -max_total_time="$secs" -max_len=9000 -timeout=10 \
	    -print_final_stats=1 -artifact_prefix="$out/" "$out/corpus-$h" \
	    "$top/tests/fuzz/corpus/$h" >"$log" 2>&1; then
		result=ok
	else
		result=FAILED
		status=1
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" \
		    >&2 || tail -n 30 "$log" >&2
	fi
	if [ "$result" = ok ]; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
		echo "fuzz_ike_$h: ok, $runs runs in ${secs}s, $rate exec/s," \
		    "$cov edges (log: $log)"
	else
		echo "fuzz_ike_$h: FAILED (log: $log)"
	fi
done
exit "$status"
