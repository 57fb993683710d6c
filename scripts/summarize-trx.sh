#!/usr/bin/env bash
# scripts/summarize-trx.sh — count test outcomes in VSTest TRX files (pure bash + POSIX awk).
#
#   scripts/summarize-trx.sh FILE.trx...
#
# Prints one line per file:   <file>\t<passed>\t<failed>\t<skipped>
# and, when given several files, a last line:   N passed, M failed
#
# Counting rules (per UnitTestResult element; a data-driven parent that has
# InnerResults is not counted, only its inner results are):
#   passed  = outcome "Passed"
#   skipped = outcome "NotExecuted" or "Skipped"
#   failed  = every other outcome (Failed, Error, Timeout, Aborted, Inconclusive, ...)
# A file that is missing or is not a TRX (no <TestRun) prints "<file>\t-\t-\t-"
# and exits with status 2 (after the other files have been printed).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 FILE.trx..." >&2
  exit 64
fi

# Emits "passed failed skipped" for one TRX file, or fails when it is not a TRX.
count_trx() {
  awk '
    BEGIN { RS = "<"; p = 0; f = 0; s = 0; lvl = 0; isTrx = 0 }
    # Each record is the text from one "<" to the next: "Name attrs...>text".
    /^TestRun[ \t\r\n>]/ { isTrx = 1 }
    /^UnitTestResult[ \t\r\n\/>]/ {
      tag = $0
      sub(/>[^>]*$/, ">", tag)                   # drop text after the tag (whitespace)
      o = ""
      if (match(tag, /[ \t\r\n]outcome="[^"]*"/)) {
        o = substr(tag, RSTART, RLENGTH); sub(/^[ \t\r\n]outcome="/, "", o); sub(/"$/, "", o)
      }
      if (tag ~ /\/>[ \t\r\n]*$/) { tally(o) }   # self-closing: no inner results
      else { lvl++; out[lvl] = o; inner[lvl] = 0 }
      next
    }
    /^InnerResults[ \t\r\n>]/ { if (lvl > 0) inner[lvl] = 1; next }
    /^\/UnitTestResult[ \t\r\n>]/ {
      if (lvl > 0) { if (!inner[lvl]) tally(out[lvl]); lvl-- }
      next
    }
    function tally(o) {
      if (o == "Passed") p++
      else if (o == "NotExecuted" || o == "Skipped") s++
      else f++
    }
    END {
      if (!isTrx) exit 3
      printf "%d %d %d\n", p, f, s
    }
  ' "$1"
}

status=0
total_p=0
total_f=0
for file in "$@"; do
  if [ -r "$file" ] && counts="$(count_trx "$file")"; then
    read -r p f s <<<"$counts"
    printf '%s\t%s\t%s\t%s\n' "$file" "$p" "$f" "$s"
    total_p=$((total_p + p))
    total_f=$((total_f + f))
  else
    printf '%s\t-\t-\t-\n' "$file"
    status=2
  fi
done
if [ "$#" -gt 1 ]; then
  printf '%d passed, %d failed\n' "$total_p" "$total_f"
fi
exit "$status"
