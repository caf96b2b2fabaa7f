#!/usr/bin/env bash
# The whole-corpus speed figure of rasid beside a `grep -F` pass over the same bytes (issue 8's yardstick).
#
#   bench/corpus.sh [CORPUS.jsonl.gz] [THREADS]
#   RASID=/path/to/rasid bench/corpus.sh …   (time that binary instead of building this checkout's)
#
# Prints, for one run: corpus bytes and article-text bytes, rasid's wall/CPU time, MB/s of article text per core,
# peak RSS, the grep pass's MB/s with 400 Arabic patterns taken from rasid's own dictionaries, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/ant-2018.jsonl.gz}
threads=${2:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rasid=${RASID:-}
if [ -z "$rasid" ]; then
  cargo build --release --quiet
  rasid=./target/release/rasid
fi
case "$corpus" in
  *.gz) zcat "$corpus" > "$work/corpus.jsonl" ;;
  *) cp "$corpus" "$work/corpus.jsonl" ;;
esac
bytes=$(stat -c %s "$work/corpus.jsonl")
text_bytes=$(python3 -c 'import json,sys
print(sum(len(json.loads(l).get("text","").encode()) for l in open(sys.argv[1], encoding="utf-8") if l.strip()))' "$work/corpus.jsonl")

# 400 patterns: the Arabic forms of rasid's place and agent dictionaries (one word or phrase each).
{ cut -f3 data/places/places.tsv; cut -f1 data/agents/agents.tsv | tr '|' '\n'; } \
  | grep -v '^#' | grep -P '\p{Arabic}' | awk 'length($0) > 2' | sort -u | awk 'NR <= 400' > "$work/patterns.txt"
patterns=$(wc -l < "$work/patterns.txt")

# Warm the page cache, then time both over the same file.
cat "$work/corpus.jsonl" > /dev/null
# (Output to a file: GNU grep stops at the first match when its output is /dev/null.)
/usr/bin/time -o "$work/grep.time" -f '%e' grep -F -c -f "$work/patterns.txt" "$work/corpus.jsonl" > "$work/grep.out"
grep_s=$(tail -1 "$work/grep.time")
/usr/bin/time -o "$work/rasid.time" -f '%e %U %M' "$rasid" extract --threads "$threads" \
  "$work/corpus.jsonl" > /dev/null 2> "$work/rasid.err" || true
# Bad records (the corpus has a few empty texts) are reported and skipped; rasid then exits 1, which is fine here.
grep -v '^rasid: .*: empty text$' "$work/rasid.err" | tail -5 || true
# With a non-zero exit, time(1) writes a "Command exited …" line first: the figures are on the last line.
read -r wall user rss < <(tail -1 "$work/rasid.time")

python3 - "$bytes" "$text_bytes" "$wall" "$user" "$rss" "$grep_s" "$patterns" "$threads" <<'PY'
import sys
b, tb, wall, user, rss, grep_s, pats, threads = sys.argv[1:]
b, tb, wall, user, rss, grep_s = int(b), int(tb), float(wall), float(user), int(rss), float(grep_s)
mb = 1e6
rasid_core = tb / mb / max(user, 1e-9)
grep_rate = b / mb / max(grep_s, 1e-9)
print(f"corpus            {b/mb:8.1f} MB file, {tb/mb:.1f} MB of article text")
print(f"rasid extract     {wall:8.1f} s wall, {user:.1f} s CPU, {threads} thread(s), peak RSS {rss/1024:.0f} MB")
print(f"rasid             {rasid_core:8.2f} MB/s of article text per core (CPU time)")
print(f"rasid (file)      {b/mb/max(wall,1e-9):8.2f} MB/s of file bytes, wall clock")
print(f"grep -F           {grep_rate:8.1f} MB/s ({pats} Arabic patterns, one pass)")
print(f"ratio             {grep_rate/max(b/mb/max(user,1e-9),1e-9):8.1f}x slower than grep (target <= 15x)")
PY
