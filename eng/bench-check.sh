#!/usr/bin/env bash
# Benchmark: whole-process wall time and peak memory of `tokenservice check --format json` on one SoftHSM
# token versus `pkcs11-tool -M -O --login` on the same token, as paired runs (alternating, so machine noise
# hits both alike), reporting medians and their ratio; then the time to check every profile.
# Usage: eng/bench-check.sh [RUNS] [PROFILE]   (defaults: 30 runs, rsa2048-full)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-30}"; profile="${2:-rsa2048-full}"
dir="${TOKENSERVICE_PROFILES:-$root/.tokenservice/profiles}"
command -v /usr/bin/time >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
"$root/softhsm-config/provision.sh" "$dir" >/dev/null 2>&1
bin="$("$root/eng/build.sh")"
export SOFTHSM2_CONF="$dir/$profile/softhsm2.conf"
module=/usr/lib/softhsm/libsofthsm2.so
pin="$(head -1 "$dir/pin")"
# Wall time in ms (nanosecond clock) and peak RSS in KiB (GNU time) of one run.
measure() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -o "$rssfile" -f '%M' "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 )) $(tail -1 "$rssfile")"
}
rssfile="$(mktemp)"; trap 'rm -f "$rssfile"' EXIT
ts=(); tool=(); tsm=(); toolm=()
for ((i = 0; i < runs + 2; i++)); do
  a=$(measure "$bin" check --module "$module" --token "$profile" --format json --pin-file "$dir/pin")
  b=$(measure pkcs11-tool --module "$module" --token-label "$profile" -M -O --login --pin "$pin")
  if ((i >= 2)); then   # two warm-up pairs
    ts+=("${a% *}"); tsm+=("${a#* }"); tool+=("${b% *}"); toolm+=("${b#* }")
  fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mt=$(median "${ts[@]}"); mp=$(median "${tool[@]}"); mtm=$(median "${tsm[@]}"); mpm=$(median "${toolm[@]}")
echo "runs=$runs profile=$profile"
for program in "$bin" "$(dirname "$bin")/tokenservice-server"; do
  if [ -f "$program" ]; then echo "binary $(basename "$program"): $(stat -c %s "$program") bytes"; fi
done
# The code layout (eng/order-file.sh): names of the order file that the binary still has; a stale file lays out less.
order="$root/src/TokenService/tokenservice.order"
if [ -f "$order" ] && [ -f "$(dirname "$bin")/tokenservice.dbg" ]; then
  found=$(nm "$(dirname "$bin")/tokenservice.dbg" | awk '{print $NF}' | sort -u | comm -12 - <(sort -u "$order") | wc -l)
  echo "code layout: $found of $(wc -l <"$order") names of tokenservice.order are in this binary (regenerate: eng/order-file.sh)"
fi
echo "tokenservice check: median ${mt} us, peak RSS ${mtm} KiB"
echo "pkcs11-tool -M -O:  median ${mp} us, peak RSS ${mpm} KiB"
awk -v a="$mt" -v b="$mp" -v c="$mtm" -v d="$mpm" 'BEGIN { printf "ratio time %.2fx, memory %.2fx\n", (b>0?a/b:0), (d>0?c/d:0) }'
start=$(date +%s.%N)
"$bin" profiles "$dir/manifest.tsv" --format json >/dev/null 2>&1 || true
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$(($(wc -l < "$dir/manifest.tsv") - 1))" 'BEGIN { printf "all %d profiles (profiles command, parallel): %.3fs\n", n, e-s }'
