#!/usr/bin/env bash
# report-screenshot.sh — render a `stick report` HTML page to PNG with headless Chromium, to look at
# it the way a reader will (the page is self-contained, so no server or network is needed).
#
# Usage:
#   Tests/Tools/report-screenshot.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]
#   (defaults: OUT = REPORT with .png, size 1400x3000; CHROMIUM=/path/to/browser to override)
#
# Needs Debian's chromium (apt-get install -y chromium). The page is rendered with JavaScript on and
# the network blocked by --host-resolver-rules, so a page that tried to load anything would show it.
set -euo pipefail

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
if [[ $# -ge 1 && ( "$1" == "-h" || "$1" == "--help" ) ]]; then usage; exit 0; fi
if [[ $# -lt 1 || $# -gt 3 ]]; then usage >&2; exit 64; fi
html=$1
[[ -f "$html" ]] || { echo "error: $html: no such file" >&2; exit 1; }
out=${2:-${html%.html}.png}
size=${3:-1400x3000}
[[ "$size" =~ ^[0-9]+x[0-9]+$ ]] || { echo "error: size must look like 1400x3000, got '$size'" >&2; exit 64; }

browser=${CHROMIUM:-}
if [[ -z "$browser" ]]; then
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$(command -v "$candidate"); break; fi
  done
fi
[[ -n "$browser" ]] || { echo "error: no chromium found (apt-get install -y chromium, or set CHROMIUM)" >&2; exit 1; }

abs_html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
abs_out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# --no-sandbox: CI and containers run as root, where Chromium's sandbox refuses to start.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --host-resolver-rules="MAP * ~NOTFOUND" --no-first-run --no-default-browser-check \
  --window-size="${size/x/,}" --screenshot="$abs_out" "file://$abs_html" >/dev/null 2>"$profile/stderr.log" || {
  cat "$profile/stderr.log" >&2
  exit 1
}
[[ -s "$abs_out" ]] || { cat "$profile/stderr.log" >&2; echo "error: no screenshot written" >&2; exit 1; }
echo "$abs_out"
