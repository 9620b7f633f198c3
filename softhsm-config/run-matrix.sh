#!/usr/bin/env bash
# run-matrix.sh: run handshake.sh for every provisioned profile and write the
# measured matrix as TSV (stdout) and as a Markdown table (DIR/matrix.md).
#
#   every profile x {openssl, gnutls} x {1.3, 1.2}, default sigalgs
#   RSA profiles: openssl, TLS 1.2, --client-sigalgs RSA+SHA256
#   every profile x {openssl, gnutls}, TLS 1.2, --server-sigalgs RSA+SHA256:ECDSA+SHA256
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR

usage() {
    cat <<'EOF'
Usage: run-matrix.sh DIR [PROFILE...]
  DIR is a directory provisioned by provision.sh (DIR/manifest.tsv).
  Writes DIR/matrix.tsv and DIR/matrix.md, prints the TSV on stdout, progress on stderr.
  Logs of every handshake are kept under DIR/matrix-logs/.
EOF
}
[[ $# -ge 1 && "$1" != -h && "$1" != --help ]] || { usage; [[ $# -ge 1 ]]; exit $?; }
DIR="$(cd "$1" && pwd)"; shift
[[ -s "$DIR/manifest.tsv" ]] || { echo "run-matrix.sh: $DIR/manifest.tsv missing: run provision.sh first" >&2; exit 1; }

readonly SERVER_RESTRICTED="RSA+SHA256:ECDSA+SHA256"
readonly CLIENT_PKCS1="RSA+SHA256"

out="$DIR/matrix.tsv"
printf 'profile\tclient\ttls\tserver_sigalgs\tclient_sigalgs\tresult\tscheme\terror\tattempts\n' > "$out"
rm -rf "$DIR/matrix-logs"

run() { # profile client tls server_sigalgs client_sigalgs
    local p="$1" c="$2" v="$3" ss="$4" cs="$5" line args=() label module
    # The manifest's label and module: a card family's row names its view (tools/p11view.so) and its label.
    label="$(awk -F'\t' -v p="$p" '$1 == p { print $3 }' "$DIR/manifest.tsv")"
    module="$(awk -F'\t' -v p="$p" '$1 == p { print $6 }' "$DIR/manifest.tsv")"
    [[ -n "$module" && "$module" != */libsofthsm2.so ]] && args+=(--module "$module")
    [[ -n "$ss" ]] && args+=(--server-sigalgs "$ss")
    [[ -n "$cs" ]] && args+=(--client-sigalgs "$cs")
    local attempt
    # Infrastructure hiccups (a loaded machine; p11-kit-proxy also loads opensc-pkcs11,
    # which waits for pcscd) are retried, up to 3 attempts; the attempts column says so.
    for attempt in 1 2 3; do
        line="$("$SCRIPT_DIR/handshake.sh" --conf "$DIR/$p/softhsm2.conf" --label "${label:-$p}" --pin-file "$DIR/pin" \
                  --ca "$DIR/ca/ca.pem" --tls "$v" --client "$c" "${args[@]}" \
                  --keep-logs "$DIR/matrix-logs/$p/$c-$v${ss:+-server-restricted}${cs:+-client-pkcs1}")"
        case "$line" in
            *"timed out"*|*"Failed to enumerate slots"*|*"server did not start"*) continue ;;
        esac
        break
    done
    local result="${line%% *}"; result="${result#result=}" scheme="" error=""
    case "$line" in
        *" scheme="*) scheme="${line#* scheme=}" ;;
        *" error="*) error="${line#* error=}" ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$c" "$v" "${ss:-default}" "${cs:-default}" \
        "$result" "$scheme" "$error" "$attempt" >> "$out"
    printf '[matrix] %-26s %-7s %s %-24s %-12s %s\n' "$p" "$c" "$v" "${ss:-default}" "${cs:-default}" "$line" >&2
}

profiles=("$@")
if (( ${#profiles[@]} == 0 )); then
    mapfile -t profiles < <(tail -n +2 "$DIR/manifest.tsv" | cut -f1)
fi
for p in "${profiles[@]}"; do
    for c in openssl gnutls; do
        for v in 1.3 1.2; do run "$p" "$c" "$v" "" ""; done
    done
    # An RSA key (the public key has a modulus): also a TLS 1.2 client restricted to PKCS#1.
    if openssl pkey -pubin -in "$DIR/$p/token-pubkey.pem" -noout -text 2>/dev/null | grep -q '^Modulus:'; then
        run "$p" openssl 1.2 "" "$CLIENT_PKCS1"
    fi
    for c in openssl gnutls; do run "$p" "$c" 1.2 "$SERVER_RESTRICTED" ""; done
done

{
    printf '| profile | client | TLS | server sigalgs | client sigalgs | result | scheme | error |\n'
    printf '|---|---|---|---|---|---|---|---|\n'
    # awk, not `read`: a tab is IFS whitespace, so `read` would merge an empty scheme field.
    awk -F'\t' 'NR > 1 {
        e = $8; if ($9 > 1) e = e (e == "" ? "" : " ") "(attempt " $9 ")"
        gsub(/\|/, "\\|", e)
        printf "| %s | %s | %s | %s | %s | **%s** | %s | %s |\n", $1, $2, $3, $4, $5, $6, ($7 == "" ? "-" : $7), e
    }' "$out"
} > "$DIR/matrix.md"
cat "$out"
