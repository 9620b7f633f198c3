#!/usr/bin/env bash
# Regenerates src/TokenService/tokenservice.order: the managed methods a one-shot `check` and a probe host run, in
# the order NativeAOT should lay them out (ILC's --order with --method-layout:explicit, which the project passes as
# IlcOrderFile). Laid out together, the code they run spans about a megabyte instead of the whole 4 MB text, so a
# `check` maps 3 MiB less of the binary (docs/benchmarks.md, 2026-12-06 night, step 2). A method the file does not
# name is laid out after those it names, so a stale file costs memory, never correctness; eng/bench-check.sh says how
# many of its names the current binary still has.
# How: build the binary, run the representative commands under valgrind's callgrind with instruction-level output,
# and map every executed instruction address to its symbol in tokenservice.dbg (nm). Needs valgrind (installed here
# when missing) and python3.
# Usage: eng/order-file.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
order="$root/src/TokenService/tokenservice.order"
for tool in valgrind python3; do
  command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
done
dir="${TOKENSERVICE_PROFILES:-$root/.tokenservice/profiles}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$root/softhsm-config/provision.sh" "$dir" >"$work/provision.log" 2>&1 || { tail -20 "$work/provision.log" >&2; exit 1; }
echo "publishing tokenservice (NativeAOT) into $work..." >&2
dotnet publish "$root/src/TokenService/TokenService.csproj" -c Release -r linux-x64 -p:PublishAot=true -o "$work/bin" >"$work/build.log" 2>&1 \
  || { tail -20 "$work/build.log" >&2; exit 1; }
# valgrind reads tokenservice.dbg beside the binary and gives up on its DWARF ("possibly corrupted"): run a copy
# without it and resolve the addresses with nm instead.
mkdir "$work/run"; cp "$work/bin/tokenservice" "$work/run/"
module=/usr/lib/softhsm/libsofthsm2.so
profile() { printf '%s/%s/softhsm2.conf' "$dir" "$1"; }
trace() {   # trace NAME INPUT [ENV=VALUE...] -- ARGS...: one run under callgrind, standard input from INPUT
  local name="$1" input="$2"; shift 2
  local env=(); while [ "$1" != "--" ]; do env+=("$1"); shift; done; shift
  env "${env[@]}" valgrind --tool=callgrind --dump-instr=yes --compress-pos=no --compress-strings=no \
    --callgrind-out-file="$work/$name.cg" "$work/run/tokenservice" "$@" >/dev/null 2>"$work/$name.err" <"$input" || true
  [ -s "$work/$name.cg" ] || { echo "callgrind produced nothing for $name:" >&2; tail -5 "$work/$name.err" >&2; exit 1; }
}
echo "tracing check and the probe host under callgrind..." >&2
trace check-json /dev/null SOFTHSM2_CONF="$(profile rsa2048-full)" -- check --module "$module" --token rsa2048-full --format json --pin-file "$dir/pin"
trace check-table /dev/null SOFTHSM2_CONF="$(profile rsa-pkcs1-only)" -- check --module "$module" --format table --pin-file "$dir/pin"
trace check-nopin /dev/null SOFTHSM2_CONF="$(profile ec-p256)" -- check --module "$module" --format json
printf '{"id":1,"module":"%s","tokenLabel":"rsa2048-full","pinFile":"%s"}\n' "$module" "$dir/pin" >"$work/request"
trace probe-host "$work/request" SOFTHSM2_CONF="$(profile rsa2048-full)" -- probe-host
nm -S "$work/bin/tokenservice.dbg" >"$work/symbols"
python3 - "$work/symbols" "$order" "$work"/*.cg <<'PY'
import bisect, re, sys
symbols_file, order_file, traces = sys.argv[1], sys.argv[2], sys.argv[3:]
# valgrind maps a position-independent executable at 0x108000; it attributes .text to the binary (addresses as in
# the file) and the managed code section, which it does not recognise as code, to '???' (absolute addresses).
BASE = 0x108000
symbols = []
for line in open(symbols_file):
    parts = line.split()
    if len(parts) == 4:
        symbols.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
symbols.sort()
starts = [s[0] for s in symbols]
executed = set()
for path in traces:
    obj = None
    for line in open(path):
        if line.startswith('ob='):
            obj = line[3:].strip()
        elif line.startswith('0x'):
            address = int(line.split(None, 1)[0], 16)
            if obj == '???' and BASE <= address < BASE + 0x4000000:
                address -= BASE
            elif obj is None or not obj.endswith('/tokenservice'):
                continue
            i = bisect.bisect_right(starts, address) - 1
            if i >= 0 and symbols[i][0] <= address < symbols[i][0] + max(symbols[i][1], 1):
                executed.add(symbols[i][2])
names = sorted(executed)  # by name: a regenerated file differs from the last by what changed
if len(names) < 1000:
    sys.exit(f"only {len(names)} functions seen: the traces are incomplete")
with open(order_file, 'w') as out:
    out.write(''.join(n + '\n' for n in names))
print(f"{len(names)} functions -> {order_file}", file=sys.stderr)
PY
