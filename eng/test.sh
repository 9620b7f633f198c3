#!/usr/bin/env bash
# Runs every test: unit tests (no hardware) and hardware tests (real SoftHSM2, pcscd + vpcd, real TLS peers).
# Installs and starts what the tests need. Ends with "N passed, N failed, N skipped" counted from the
# test results, and exits non-zero on any failure.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
results="$root/.tokenservice/test-results"
rm -rf "$results"; mkdir -p "$results"

"$root/eng/install-deps.sh" || { echo "dependency install failed"; echo "0 passed, 1 failed"; exit 1; }
if [ -x "$root/eng/pcscd-ctl.sh" ]; then
  "$root/eng/pcscd-ctl.sh" start || echo "warning: pcscd did not start; the PC/SC tests will fail and say why" >&2
fi

status=0
dotnet build "$root/TokenService.slnx" -c Release -nologo -v q -clp:ErrorsOnly || status=1
if [ $status -eq 0 ]; then
  for project in tests/Unit/Unit.csproj tests/Hardware/Hardware.csproj; do
    name="$(basename "$project" .csproj)"
    dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results" || status=1
  done
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get total); x=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
done
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi   # a build or runner failure counts
echo "$passed passed, $failed failed, $skipped skipped"
[ $status -eq 0 ] && [ $failed -eq 0 ]
