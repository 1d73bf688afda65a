#!/usr/bin/env bash
# Training throughput, DJL (io.fedit.bench.TrainingBenchmark) vs the PyTorch reference, in one session.
# Usage: bench/run_training_bench.sh [runs]   (from the repository root; needs Debian's python3-torch and
# libopenblas0-pthread: apt-get install -y python3-torch libopenblas0-pthread)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
mvn -q -B compile dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/cp.txt
OUT=$(mktemp)
date -u +"%Y-%m-%dT%H:%M:%SZ $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dai.djl.offline=true -cp "target/classes:$(cat target/cp.txt)" io.fedit.bench.TrainingBenchmark \
  data/stories260K-hf "$RUNS" 1,2 2>/dev/null | tee -a "$OUT"
/usr/bin/python3 bench/torch_lora_reference.py "$RUNS" | tee -a "$OUT"
for shape in stories260K stories15M-shape; do
  djl=$(grep "RESULT djl $shape " "$OUT" | sed 's/.*best=\([0-9]*\).*/\1/' | sort -n | tail -1)
  pt=$(grep "RESULT torch $shape " "$OUT" | sed 's/.*best=\([0-9]*\).*/\1/' | sort -n | tail -1)
  echo "RATIO $shape: DJL best $djl tok/s / PyTorch best $pt tok/s = $(awk "BEGIN{printf \"%.2f\", $djl/$pt}")x"
done
rm -f "$OUT"
