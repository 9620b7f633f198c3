#!/usr/bin/env bash
# Benchmark: `tokenservice report` over a fleet of COUNT check documents (docs/benchmarks.md, "Fleet report").
# The fleet is made from real `check --format json` outputs of every demo profile (softhsm-config/profiles),
# cycled over COUNT devices, each copy with its own token serial number and generatedAt. It is written twice:
# one file per device in a folder, and the same documents as one JSON-lines file. Then `report DIR` and
# `report - < FILE` run as paired rounds (alternating, so machine noise hits both alike, one warm-up pair);
# it prints the median wall time, CPU time and peak RSS of each, and the median of the paired ratios.
# Usage: eng/bench-report.sh [COUNT] [ROUNDS]   (defaults: 100000 documents, 5 rounds; ~3.5 GB in $TMPDIR)
# TOKENSERVICE_BIN=PROGRAM times that program instead of the NativeAOT build of eng/build.sh (e.g. a JIT build).
# BASELINE_BIN=PROGRAM also times that program (e.g. the build of an older commit) in the same rounds, each run
# next to the candidate's, and prints the median of the paired ratios candidate/baseline per input kind.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-100000}"; rounds="${2:-5}"
dir="${TOKENSERVICE_PROFILES:-$root/.tokenservice/profiles}"
work="$(mktemp -d "${TMPDIR:-/tmp}/tokenservice-fleet.XXXXXX")"
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
"$root/softhsm-config/provision.sh" "$dir" >/dev/null 2>&1
bin="${TOKENSERVICE_BIN:-$("$root/eng/build.sh")}"

mkdir -p "$work/seed" "$work/fleet"
tail -n +2 "$dir/manifest.tsv" | while IFS=$'\t' read -r profile config label _ _ module; do
  # A card family's row names its view (tools/p11view.so) and the label the view shows.
  SOFTHSM2_CONF="$config" "$bin" check ${module:+--module "$module"} --token "$label" --format json --pin-file "$dir/pin" \
    >"$work/seed/$profile.json" || true
done
python3 - "$work/seed" "$work/fleet" "$work/fleet.jsonl" "$count" <<'PY'
import os, re, sys
seed, folder, lines_path, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
seeds = [open(os.path.join(seed, f)).read() for f in sorted(os.listdir(seed))]
serial = re.compile(r'"serialNumber": "[0-9a-f]{16}"')   # the token's (certificate serials are shorter)
generated = re.compile(r'"generatedAt": "[^"]*"')
with open(lines_path, "w") as lines:
    for i in range(count):
        text = serial.sub(f'"serialNumber": "{i:016x}"', seeds[i % len(seeds)], count=1)
        text = generated.sub(f'"generatedAt": "2026-12-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00"', text, count=1)
        sub = os.path.join(folder, f"{i // 1000:03d}")
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"device-{i:06d}.json"), "w") as f:
            f.write(text)
        lines.write("".join(l.strip() for l in text.splitlines()) + "\n")   # pretty JSON breaks lines only between tokens
PY
echo "fleet: $count documents from $(ls "$work/seed" | wc -l) profiles, folder $(du -sh "$work/fleet" | cut -f1), JSON lines $(du -sh "$work/fleet.jsonl" | cut -f1); $(nproc) cores"

rssfile="$work/rss"
# Wall time in ms, peak RSS in MiB and CPU time (user + system) in ms of one run; the summary goes to $work/out.json.
# On a shared machine wall time follows the load; CPU time is the figure to compare across runs.
measure() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -o "$rssfile" -f '%M %U %S' "$@" >"$work/out.json"
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(tail -1 "$rssfile" | awk '{ printf "%d %d", $1 / 1024, ($2 + $3) * 1000 }')"
}
dirs=(); dirm=(); dirc=(); pipe=(); pipem=(); pipec=(); ratio=(); bdirs=(); bdirc=(); bpipe=(); bpipec=(); rdir=(); rpipe=(); rdirc=(); rpipec=()
baseline="${BASELINE_BIN:-}"
for ((i = 0; i <= rounds; i++)); do
  if [ -n "$baseline" ]; then c=$(measure "$baseline" report "$work/fleet" --format json); fi
  a=$(measure "$bin" report "$work/fleet" --format json)
  if [ -n "$baseline" ]; then d=$(measure sh -c "\"$baseline\" report - --format json < \"$work/fleet.jsonl\""); fi
  b=$(measure sh -c "\"$bin\" report - --format json < \"$work/fleet.jsonl\"")
  if ((i > 0)); then   # one warm-up round
    a=($a); b=($b)
    dirs+=("${a[0]}"); dirm+=("${a[1]}"); dirc+=("${a[2]}"); pipe+=("${b[0]}"); pipem+=("${b[1]}"); pipec+=("${b[2]}")
    ratio+=("$(awk -v a="${a[0]}" -v b="${b[0]}" 'BEGIN { printf "%.3f", b / a }')")
    if [ -n "$baseline" ]; then
      c=($c); d=($d)
      bdirs+=("${c[0]}"); bdirc+=("${c[2]}"); bpipe+=("${d[0]}"); bpipec+=("${d[2]}")
      rdir+=("$(awk -v a="${a[0]}" -v c="${c[0]}" 'BEGIN { printf "%.3f", a / c }')")
      rpipe+=("$(awk -v b="${b[0]}" -v d="${d[0]}" 'BEGIN { printf "%.3f", b / d }')")
      rdirc+=("$(awk -v a="${a[2]}" -v c="${c[2]}" 'BEGIN { printf "%.3f", a / c }')")
      rpipec+=("$(awk -v b="${b[2]}" -v d="${d[2]}" 'BEGIN { printf "%.3f", b / d }')")
    fi
  fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("summary: checks", r["inputs"]["checks"], "cards", r["cards"]["total"], "by verdict", {v["name"]: v["count"] for v in r["cards"]["byVerdict"]})' "$work/out.json"
echo "rounds=$rounds count=$count load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "report DIR (one file per device):  median $(median "${dirs[@]}") ms wall, $(median "${dirc[@]}") ms CPU, peak RSS $(median "${dirm[@]}") MiB  [${dirs[*]}]"
echo "report - (JSON lines on stdin):    median $(median "${pipe[@]}") ms wall, $(median "${pipec[@]}") ms CPU, peak RSS $(median "${pipem[@]}") MiB  [${pipe[*]}]"
echo "paired ratio stdin/folder: median $(median "${ratio[@]}")"
if [ -n "$baseline" ]; then
  echo "baseline DIR: median $(median "${bdirs[@]}") ms wall, $(median "${bdirc[@]}") ms CPU [${bdirs[*]}]; paired ratio candidate/baseline: wall $(median "${rdir[@]}"), CPU $(median "${rdirc[@]}")"
  echo "baseline -:   median $(median "${bpipe[@]}") ms wall, $(median "${bpipec[@]}") ms CPU [${bpipe[*]}]; paired ratio candidate/baseline: wall $(median "${rpipe[@]}"), CPU $(median "${rpipec[@]}")"
fi
