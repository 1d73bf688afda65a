#!/usr/bin/env bash
# Renders a run's report.html in a real headless browser and saves a screenshot, to check by eye that
# the page draws offline (no network: everything is inline). Not run by tests.
#   bench/report_screenshot.sh [RUN_DIR] [OUT_PNG]
# RUN_DIR defaults to runs/dolly-fedit (run `jobs/fedit report` first, or any train); OUT_PNG to
# RUN_DIR/report.png. Needs Debian's chromium: apt-get update && apt-get install -y chromium
set -euo pipefail
run_dir="${1:-runs/dolly-fedit}"
out="${2:-$run_dir/report.png}"
page="$(cd "$run_dir" && pwd)/report.html"
[ -f "$page" ] || { echo "no $page: run 'jobs/fedit report' (or train) first" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "chromium not found: apt-get update && apt-get install -y chromium" >&2; exit 2; }
# --virtual-time-budget lets the page's scripts finish before the capture; no proxy, so any network
# request would fail and show as a broken chart.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-proxy-server \
  --virtual-time-budget=5000 --window-size=1200,3000 --screenshot="$out" "file://$page" >/dev/null 2>&1
echo "screenshot: $out"
# The rendered page, to list what was drawn: section titles, charts, and any section that failed.
"$browser" --headless --no-sandbox --disable-gpu --no-proxy-server --virtual-time-budget=5000 \
  --dump-dom "file://$page" 2>/dev/null | python3 -c '
import re, sys
dom = sys.stdin.read()
body = dom[dom.find("<main"):dom.find("</main>")]
print("sections:", re.findall(r"<h2>([^<]*)</h2>", body))
print("charts drawn:", body.count("<canvas"))
for note in re.findall(r"<div class=\"absent\">([^<]*)</div>", body):
    print("note:", note)
'

