"""Prints one line per file of the run directories under ROOT: its path and a SHA-256 digest.

Parquet files are digested by content (schema and rows, sorted by their columns' text) with timing columns
left out, so two runs that computed the same things give the same lines whatever their wall clock.
JSON files are digested without keys that hold times or absolute paths. Spark's part-file names carry a
random job id, which is replaced by UUID in the printed path. Manifests, config.yaml, report.html, _SUCCESS
(the manifest's hash) and logs record times and paths and are skipped.
Used by bench/behaviour_fingerprint.sh.
"""
import hashlib
import json
import os
import re
import sys

import pyarrow.parquet as pq

TIMING = re.compile(r"(wall|_ms$|_seconds$|seconds|time|started|finished|elapsed|timestamp|per_sec)", re.I)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
JSON_SKIP_KEYS = {"input", "output", "seconds"}
SKIP = {"manifest.json", "config.yaml", "report.html", "_SUCCESS"}


def digest_parquet(path):
    table = pq.read_table(path)
    keep = [c for c in table.column_names if not TIMING.search(c)]
    rows = table.select(keep).to_pylist()
    lines = sorted(repr(sorted(r.items())) for r in rows)
    h = hashlib.sha256(repr(keep).encode())
    for line in lines:
        h.update(line.encode())
    return h.hexdigest(), len(rows)


def digest_json(path):
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in JSON_SKIP_KEYS and not TIMING.search(k)}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    with open(path) as f:
        doc = strip(json.load(f))
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def main(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_tmp", ".")))
        for name in sorted(filenames):
            if name in SKIP or name.endswith((".log", ".crc")) or name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            rel = UUID.sub("UUID", os.path.relpath(path, root))
            if name.endswith(".parquet"):
                digest, n = digest_parquet(path)
                print(f"{rel} rows={n} {digest}")
            elif name.endswith(".json"):
                print(f"{rel} {digest_json(path)}")
            else:
                with open(path, "rb") as f:
                    print(f"{rel} {hashlib.sha256(f.read()).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1])
