#!/usr/bin/env bash
# Soak benchmark (issue 21 section 6; a benchmark, not a CI test). Runs ROUNDS rounds of the default job the
# way a scheduler does, one `jobs/fedit round --round R` process per round, and kills (SIGKILL) the process at a
# random moment in one round out of ten, then reruns that round until it exits 0. It then runs the same rounds
# again without kills (the reference) and compares the two runs' committed files and tables with
# bench/table_digest.py: adapters, metrics and client state must be identical, with no lost or doubled rows
# and no leftover temporaries. The peak RSS and wall time of every process go to OUT/rss.tsv (in Spark local
# mode driver and executors share that one JVM), so a growing process shows as a rising column.
#   PYTHON=venv/bin/python bench/soak_rounds.sh OUT [ROUNDS] [--set key=value ...]
# ROUNDS defaults to 200 (several hours here: about a minute per round of the default job on 2 cores).
# KILL_EVERY (default 10): one round in that many, on average, is killed once.
# MALLOC_ARENA_MAX, if set, is passed on (compare runs with and without it). Needs /usr/bin/time (Debian: time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: bench/soak_rounds.sh OUT [ROUNDS] [--set key=value ...]}"; shift
rounds="${1:-200}"; [ $# -gt 0 ] && shift
py="${PYTHON:-python3}"
[ -x /usr/bin/time ] || { echo "soak: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$out"
kill_every="${KILL_EVERY:-10}"
RANDOM=42  # the kill schedule and moments are reproducible
printf 'run\tround\tattempt\tkilled_after_s\texit\tpeak_rss_kib\twall_s\n' > "$out/rss.tsv"

# One round process; when kill_after > 0 it is killed that many seconds after it starts.
one_round() { local run=$1 round=$2 attempt=$3 kill_after=$4; shift 4
  local log="$out/logs/$run-round-$round-attempt-$attempt"
  mkdir -p "$out/logs"
  /usr/bin/time -f '%M %e' -o "$log.time" "$root/jobs/fedit" round --round "$round" \
      --set output.dir="$out" --set run.name="$run" --set federation.rounds="$rounds" "$@" > "$log.log" 2>&1 &
  local pid=$! code=0 killed=0
  if [ "$kill_after" -gt 0 ]; then
    sleep "$kill_after"
    # the JVM is time's child (jobs/fedit execs java); a process that already ended is not counted as killed
    if pkill -KILL -P "$pid" 2>/dev/null; then killed=$kill_after; fi
  fi
  wait "$pid" || code=$?
  read -r rss wall < <(tail -n 1 "$log.time" | grep -E '^[0-9]+ ' || echo "0 0")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$round" "$attempt" "$killed" "$code" "$rss" "$wall" >> "$out/rss.tsv"
  return "$code"
}

run_all() { local run=$1 kills=$2; shift 2
  for ((r = 1; r <= rounds; r++)); do
    local attempt=1
    if [ "$kills" = yes ] && [ $((RANDOM % kill_every)) -eq 0 ]; then
      one_round "$run" "$r" "$attempt" $((5 + RANDOM % 60)) "$@" || true
      attempt=2
    fi
    until one_round "$run" "$r" "$attempt" 0 "$@"; do
      attempt=$((attempt + 1))
      [ "$attempt" -le 4 ] || { echo "soak: $run round $r failed 3 times: see $out/logs" >&2; exit 1; }
    done
    echo "soak: $run round $r done (attempts: $attempt)"
  done
}

run_all soak yes "$@"
run_all reference no "$@"

"$py" "$root/bench/table_digest.py" "$out/soak" > "$out/soak.digest"
"$py" "$root/bench/table_digest.py" "$out/reference" > "$out/reference.digest"
leftovers=$(find "$out/soak" "$out/reference" -name '_tmp-*' -o -name '*.tmp-*' -o -name '_writer.lock' | wc -l)
killed=$(awk -F'\t' '$1 == "soak" && $4 > 0' "$out/rss.tsv" | wc -l)
if diff "$out/reference.digest" "$out/soak.digest" > "$out/compare.txt"; then same=identical; else same=DIFFERENT; fi
echo "soak: $rounds rounds, $killed killed; committed files and tables vs the uninterrupted run: $same" \
     "(OUT/compare.txt); leftovers: $leftovers; peak RSS per process: OUT/rss.tsv"
[ "$same" = identical ] && [ "$leftovers" -eq 0 ]
