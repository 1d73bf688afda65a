#!/usr/bin/env bash
# Driver memory and time of the distributed aggregation (io.fedit.bench.AggregationMemoryBenchmark): 32 synthetic
# updates of 16,777,216 float32 values (2 GiB together) aggregated on local[2] in a JVM with a 2 GB heap, FedAvg's
# weighted mean and the coordinate-wise median, beside a plain in-memory weighted sum of the same bytes.
# Needs a quiet machine for figures worth recording, and ~2.2 GB of disk in DIR (removed at the end unless KEEP=1).
# Usage: bench/aggregation_memory.sh [clients] [values] [block_values] [heap]
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-32}
VALUES=${2:-16777216}
BLOCK=${3:-262144}
HEAP=${4:-2g}
DIR=${DIR:-$(mktemp -d /tmp/fedit-agg-bench.XXXXXX)}
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"' EXIT
mvn -q -B compile dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/cp.txt
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/  */ /g'), uptime:$(uptime | sed 's/.*load/ load/')"
opens=$(grep -v '^#' conf/java17-opens.txt | tr '\n' ' ')
java -Xmx"$HEAP" $opens -Dspark.master='local[2]' -Dspark.driver.host=127.0.0.1 \
  -Dlog4j2.configurationFile=log4j2.properties -cp "target/bench-classes:target/classes:$(cat target/cp.txt)" \
  io.fedit.bench.AggregationMemoryBenchmark "$DIR" "$CLIENTS" "$VALUES" "$BLOCK" 2>&1 | grep -v ' WARN \|^\s*at \|NativeCodeLoader'
echo "after: uptime:$(uptime | sed 's/.*load/ load/')"
