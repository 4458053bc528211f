#!/bin/sh
# Last test of a run: on a kernel with kmemleak (the debug kernel), scan and
# fail on any unreferenced object allocated from kcs code. Elsewhere, skip.
set -eu
. "${0%/*}/lib.sh"

f=/sys/kernel/debug/kmemleak
[ -w "$f" ] || skip_all "kernel without kmemleak"
# Two scans: kmemleak reports an object only once it stayed unreferenced
# across scans.
echo scan >"$f"
sleep 1
echo scan >"$f"
cat "$f" >/tmp/kmemleak.txt
# One report per "unreferenced object" block; keep those with kcs frames.
awk '/^unreferenced object/ { if (blk ~ /kcs/) n++; blk = "" } { blk = blk $0 "\n" }
     END { if (blk ~ /kcs/) n++; print n + 0 }' /tmp/kmemleak.txt >/tmp/kmemleak.n
n=$(cat /tmp/kmemleak.n)
check_eq "no kmemleak report from kcs code" "$n" 0
[ "$n" = 0 ] || diag "$(cat /tmp/kmemleak.txt)"
diag "kmemleak: $(grep -c '^unreferenced object' /tmp/kmemleak.txt || :) reports in all, $n from kcs"
done_testing
