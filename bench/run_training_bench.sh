#!/usr/bin/env bash
# Training throughput, DJL (io.fedit.bench.TrainingBenchmark: float32, float16 and bfloat16 compute, and
# float32-script = the bfloat16 route's TorchScript decoder computing in float32) vs the PyTorch reference
# (float32 and bfloat16 autocast), in one session, with each dtype's matmul peak at the model's shapes.
# Usage: [DTYPES=float32,bfloat16] [PYTHON=python-with-torch] bench/run_training_bench.sh [runs] [shapes]
# (from the repository root; shapes default stories260K,stories15M-shape,110M-shape; PYTHON defaults to
# /usr/bin/python3 with Debian's python3-torch and libopenblas0-pthread; a venv with a current torch wheel is
# the stronger reference: python3 -m venv V && V/bin/pip install torch)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SHAPES=${2:-stories260K,stories15M-shape,110M-shape}
mvn -q -B compile dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/cp.txt
OUT=$(mktemp)
date -u +"%Y-%m-%dT%H:%M:%SZ $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
lscpu | grep -E '^(Model name|Flags):' | sed 's/  */ /g'   # processors differ between machines (AMX, AVX512-BF16/FP16)
java -Dai.djl.offline=true -cp "target/bench-classes:target/classes:$(cat target/cp.txt)" io.fedit.bench.TrainingBenchmark \
  data/stories260K-hf "$RUNS" 1,2 "${DTYPES:-float32,float16,bfloat16,float32-script}" "$SHAPES" 2>/dev/null | tee -a "$OUT"
"${PYTHON:-/usr/bin/python3}" bench/torch_lora_reference.py "$RUNS" "$SHAPES" | tee -a "$OUT"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
best() { grep "RESULT $1 $2 " "$OUT" | sed 's/.* \([a-z0-9_-]*\) threads=\([0-9]*\).*best=\([0-9]*\).*/\3 \1 \2/' | sort -n | tail -1; }
for shape in ${SHAPES//,/ }; do
  read -r djl djl_dtype djl_threads <<<"$(best djl "$shape")"
  read -r pt pt_dtype pt_threads <<<"$(best torch "$shape")"
  echo "RATIO $shape: trainer best $djl tok/s ($djl_dtype, $djl_threads threads) / PyTorch best $pt tok/s" \
    "($pt_dtype, $pt_threads threads) = $(awk "BEGIN{printf \"%.2f\", $djl/$pt}")x (goal 1.5x)"
done
rm -f "$OUT"
