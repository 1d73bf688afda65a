#!/usr/bin/env bash
# Round overhead of the default federated job when every sampled client has its own task slot and
# trains for about a minute: 2 clients per round on local[2], 4 local epochs each, 3 rounds.
# Overhead = round wall time - the slowest client's training time (both measured in the same round,
# read from the round_metrics table that the run writes). Usage: bench/round_overhead.sh [run-name]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-bench-overhead-$(date +%s)}
SPARK_MASTER='local[2]' jobs/fedit train --rounds 3 --set run.name="$name" \
  --set federation.client_fraction=0.02 --set federation.min_clients=2 --set train.local_epochs=4 \
  2> "runs/$name.log" || { tail -50 "runs/$name.log"; exit 1; }
