#!/usr/bin/env bash
# Cost of held-out evaluation on the default job (3 rounds, eval defaults): each round's wall time beside
# its evaluation's (io.fedit.bench.EvalCostReport reads the run's tables). Needs a quiet machine.
# eval_metrics.wall_ms covers the whole evaluation (every split, Vicuna answers included); the log lines
# "evaluated ... on SPLIT ... in N ms" split it up.
# Usage: bench/eval_cost.sh [run-name]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-bench-eval-$(date +%s)}
date -u +"%Y-%m-%dT%H:%M:%SZ $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
SPARK_MASTER='local[2]' jobs/fedit train --set run.name="$name" 2> "runs/$name.log" || { tail -50 "runs/$name.log"; exit 1; }
grep -E "evaluated .* on " "runs/$name.log" | sed 's/^.*Evaluator: //'
mvn -q -B compile dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/cp.txt
java -cp "target/bench-classes:target/classes:$(cat target/cp.txt)" io.fedit.bench.EvalCostReport "runs/$name" 2>/dev/null
