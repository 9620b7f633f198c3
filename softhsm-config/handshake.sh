#!/usr/bin/env bash
# handshake.sh: one real TLS client-auth handshake with a SoftHSM token key,
# against a strict `openssl s_server -Verify 1 -verify_return_error` on 127.0.0.1.
# Success counts only when the SERVER reports that it verified the client
# certificate (and with it the CertificateVerify signature). See README.md.
set -uo pipefail

readonly SCRIPT_NAME="handshake.sh"

usage() {
    cat <<'EOF'
Usage: handshake.sh --conf DIR/NAME/softhsm2.conf --label NAME --pin-file DIR/pin
                    --ca DIR/ca/ca.pem --tls 1.2|1.3 --client openssl|gnutls
                    [--server-sigalgs LIST] [--client-sigalgs LIST]
                    [--server-ca FILE] [--server-verify-ca FILE]
                    [--cert FILE] [--server-cert FILE --server-key FILE]
                    [--timeout SECONDS] [--keep-logs DIR] [--module PKCS11_LIBRARY]
       handshake.sh --key-uri PKCS11_URI --cert FILE --pin-file FILE --ca DIR/ca/ca.pem
                    --tls 1.2|1.3 --client openssl|gnutls [options as above]

Starts `openssl s_server -Verify 1 -verify_return_error -tls1_2|-tls1_3 -trace`
on 127.0.0.1 (kernel-chosen free port; server certificate DIR/ca/server.pem by
default), then connects with the token key "pkcs11:token=NAME;object=auth;type=private"
and the certificate DIR/NAME/cert.pem (by default), SOFTHSM2_CONF set to --conf:
  openssl  openssl s_client -engine pkcs11 -keyform engine (libp11 via p11-kit-proxy);
           the PIN travels as pin-source=file:PIN_FILE, never on a command line
  gnutls   gnutls-cli --x509keyfile pkcs11:... ; the PIN in the GNUTLS_PIN variable

--server-sigalgs LIST  the signature_algorithms the server puts in its
                       CertificateRequest (s_server -client_sigalgs), e.g.
                       RSA+SHA256:ECDSA+SHA256
--server-ca FILE       the server's -CAfile (default: --ca): the CAs it trusts for
                       client certificates and, by OpenSSL's default, the names it
                       sends in certificate_authorities. A file without the demo CA
                       makes a server that neither names nor trusts the card's issuer.
--server-verify-ca FILE  the server's -verifyCAfile: verify client certificates
                       against FILE instead, while the names still come from
                       --server-ca (a server that names one CA but trusts another).
--module LIB           load LIB for the token. openssl: PKCS11_MODULE_PATH instead of
                       p11-kit-proxy, which also loads opensc-pkcs11 (and so talks to pcscd).
                       gnutls: gnutls-cli --provider LIB, instead of p11-kit's registered
                       modules (e.g. a card family's view, tools/p11view.so).
--key-uri URI          the private key's pkcs11: URI (without a PIN) instead of the
                       SoftHSM token --label/--conf, e.g. a card read by OpenSC:
                       pkcs11:token=TokenService%20PIV%209A;id=%01;type=private
--keep-logs DIR        copy the server's and client's output to DIR.
--client-sigalgs LIST  what the client may sign with. openssl: s_client -client_sigalgs.
                       gnutls: OpenSSL-style names (RSA+SHA256, RSA-PSS+SHA256,
                       rsa_pss_rsae_sha256, ECDSA+SHA384, ed25519, ...) become a
                       priority string with only those SIGN-* entries plus
                       ECDSA-SHA256 (needed to verify the demo server).

Prints exactly one line on stdout:
  result=ok scheme=<IANA name of the client's CertificateVerify scheme, or unknown>
  result=fail error=<single-line cause; the value runs to the end of the line>
Exit status: 0 when a result line was printed (ok or fail), 2 on usage errors,
3 when a required tool is missing. Every process is bounded by --timeout (10 s).
EOF
}

usage_error() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; printf 'Try --help.\n' >&2; exit 2; }

CONF="" LABEL="" PIN_FILE="" CA="" TLS="" CLIENT="" SERVER_SIGALGS="" CLIENT_SIGALGS=""
CERT="" SERVER_CERT="" SERVER_KEY="" TIMEOUT=10 KEEP_LOGS="" MODULE="" SERVER_CA="" SERVER_VERIFY_CA="" KEY_URI=""

while (( $# )); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --conf|--label|--pin-file|--ca|--tls|--client|--server-sigalgs|--client-sigalgs|--cert|--server-cert|--server-key|--timeout|--keep-logs|--module|--server-ca|--server-verify-ca|--key-uri)
            [[ $# -ge 2 ]] || usage_error "$1 needs a value"
            case "$1" in
                --conf) CONF="$2" ;; --label) LABEL="$2" ;; --pin-file) PIN_FILE="$2" ;;
                --ca) CA="$2" ;; --tls) TLS="$2" ;; --client) CLIENT="$2" ;;
                --server-sigalgs) SERVER_SIGALGS="$2" ;; --client-sigalgs) CLIENT_SIGALGS="$2" ;;
                --cert) CERT="$2" ;; --server-cert) SERVER_CERT="$2" ;; --server-key) SERVER_KEY="$2" ;;
                --timeout) TIMEOUT="$2" ;; --keep-logs) KEEP_LOGS="$2" ;; --module) MODULE="$2" ;;
                --server-ca) SERVER_CA="$2" ;; --server-verify-ca) SERVER_VERIFY_CA="$2" ;;
                --key-uri) KEY_URI="$2" ;;
            esac
            shift 2 ;;
        *) usage_error "unknown argument: $1" ;;
    esac
done

if [[ -n "$KEY_URI" ]]; then
    [[ "$KEY_URI" == pkcs11:* && "$KEY_URI" != *pin-* ]] || usage_error "--key-uri must be a pkcs11: URI without a PIN"
    [[ -n "$CERT" ]] || usage_error "--key-uri needs --cert"
    # The key is another module's: SoftHSM's configuration only matters to the other modules p11-kit loads, so a
    # SOFTHSM2_CONF inherited from elsewhere that no longer exists falls back to the package's own.
    CONF="${SOFTHSM2_CONF:-}" LABEL=key-uri
    [[ -r "$CONF" ]] || CONF=/etc/softhsm/softhsm2.conf
fi
[[ -n "$CONF" && -n "$LABEL" && -n "$PIN_FILE" && -n "$CA" && -n "$TLS" && -n "$CLIENT" ]] \
    || usage_error "--conf, --label (or --key-uri), --pin-file, --ca, --tls and --client are required"
case "$TLS" in 1.2|1.3) ;; *) usage_error "--tls must be 1.2 or 1.3" ;; esac
case "$CLIENT" in openssl|gnutls) ;; *) usage_error "--client must be openssl or gnutls" ;; esac
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || usage_error "--timeout must be a positive integer"
[[ "$LABEL" =~ ^[[:print:]]{1,32}$ ]] || usage_error "--label must be 1 to 32 printable characters"
CERT="${CERT:-$(dirname "$CONF")/cert.pem}"
SERVER_CERT="${SERVER_CERT:-$(dirname "$CA")/server.pem}"
SERVER_KEY="${SERVER_KEY:-$(dirname "$CA")/server.key}"
SERVER_CA="${SERVER_CA:-$CA}"
for f in "$CONF" "$PIN_FILE" "$CA" "$CERT" "$SERVER_CERT" "$SERVER_KEY" "$SERVER_CA" ${SERVER_VERIFY_CA:+"$SERVER_VERIFY_CA"}; do
    [[ -r "$f" ]] || usage_error "cannot read $f"
done
CONF="$(realpath "$CONF")" PIN_FILE="$(realpath "$PIN_FILE")"

for tool in openssl:openssl timeout:coreutils stdbuf:coreutils; do
    command -v "${tool%%:*}" >/dev/null 2>&1 \
        || { printf '%s: %s not found: install the Debian package %s\n' "$SCRIPT_NAME" "${tool%%:*}" "${tool#*:}" >&2; exit 3; }
done
if [[ "$CLIENT" == gnutls ]]; then
    command -v gnutls-cli >/dev/null 2>&1 \
        || { printf '%s: gnutls-cli not found: install the Debian package gnutls-bin\n' "$SCRIPT_NAME" >&2; exit 3; }
else
    engine_dir="$(openssl version -e 2>/dev/null | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')"
    [[ -e "${engine_dir}/pkcs11.so" ]] \
        || { printf '%s: the OpenSSL pkcs11 engine is missing: install the Debian package libengine-pkcs11-openssl\n' "$SCRIPT_NAME" >&2; exit 3; }
fi

WORK="$(mktemp -d /tmp/handshake.XXXXXX)"
SERVER_PID="" CLIENT_PID=""
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
    { exec 7>&-; } 2>/dev/null
    if [[ -n "$CLIENT_PID" ]] && kill -0 "$CLIENT_PID" 2>/dev/null; then
        kill "$CLIENT_PID" 2>/dev/null
        wait "$CLIENT_PID" 2>/dev/null
    fi
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null
        { wait "$SERVER_PID"; } 2>/dev/null
    fi
    if [[ -n "$KEEP_LOGS" ]]; then
        rm -f "$WORK/client.in"   # a FIFO: cp would block on it
        mkdir -p "$KEEP_LOGS" && cp "$WORK"/* "$KEEP_LOGS"/ 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

emit_fail() { printf 'result=fail error=%s\n' "$(tr '\n\t' '  ' <<<"$1" | sed 's/  */ /g; s/ $//')"; exit 0; }

# --- server ---------------------------------------------------------------------
server_args=(s_server -accept 127.0.0.1:0 -naccept 1 -rev
             -cert "$SERVER_CERT" -key "$SERVER_KEY" -CAfile "$SERVER_CA"
             -Verify 1 -verify_return_error -trace)
[[ -n "$SERVER_VERIFY_CA" ]] && server_args+=(-verifyCAfile "$SERVER_VERIFY_CA")
[[ "$TLS" == 1.3 ]] && server_args+=(-tls1_3) || server_args+=(-tls1_2)
[[ -n "$SERVER_SIGALGS" ]] && server_args+=(-client_sigalgs "$SERVER_SIGALGS")
# -rev: the server echoes lines reversed and reads nothing from its stdin.
# stdbuf: line-buffered output, so the trace is complete even if the server must be killed.
timeout "$TIMEOUT" stdbuf -oL -eL openssl "${server_args[@]}" >"$WORK/server.out" 2>"$WORK/server.err" </dev/null &
SERVER_PID=$!

PORT=""
for _ in $(seq 1 100); do
    PORT="$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$WORK/server.out" 2>/dev/null | head -n1)"
    [[ -n "$PORT" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
done
[[ -n "$PORT" ]] || emit_fail "server did not start: $(grep -m1 -i error "$WORK/server.err" || head -n1 "$WORK/server.err")"

# --- client ---------------------------------------------------------------------
# RFC 7512 §2.3: every byte of a path attribute value outside the unreserved set is percent-encoded.
uri_encode() {
    local LC_ALL=C text="$1" out="" c i
    for (( i = 0; i < ${#text}; i++ )); do
        c="${text:i:1}"
        case "$c" in [A-Za-z0-9._~-]) out+="$c" ;; *) out+="$(printf '%%%02X' "'$c")" ;; esac
    done
    printf '%s' "$out"
}
URI="${KEY_URI:-pkcs11:token=$(uri_encode "$LABEL");object=auth;type=private}"
client_rc=0
if [[ "$CLIENT" == openssl ]]; then
    client_args=(s_client -connect "127.0.0.1:${PORT}" -servername localhost
                 -engine pkcs11 -keyform engine -key "${URI};pin-source=file:${PIN_FILE}"
                 -cert "$CERT" -CAfile "$CA" -verify_return_error -ign_eof)
    [[ "$TLS" == 1.3 ]] && client_args+=(-tls1_3) || client_args+=(-tls1_2)
    [[ -n "$CLIENT_SIGALGS" ]] && client_args+=(-client_sigalgs "$CLIENT_SIGALGS")
    # The client's stdin is a FIFO we write to like a user at a terminal: libp11 0.4.12
    # asks for the PIN of a CKA_ALWAYS_AUTHENTICATE key through the OpenSSL UI (stdin)
    # before every signature and does not reuse the URI's PIN, so each
    # "Enter PKCS#11 key PIN" prompt is answered from the PIN file. Once the handshake
    # is done, "ping" and "CLOSE" (the -rev server then closes) follow.
    mkfifo "$WORK/client.in"
    # The extra subshell reaps the client itself, so a crash (libp11 + EdDSA keys)
    # does not put a "Segmentation fault" job notice on our stderr.
    ( env ${MODULE:+PKCS11_MODULE_PATH="$MODULE"} SOFTHSM2_CONF="$CONF" \
          timeout "$TIMEOUT" openssl "${client_args[@]}" \
          <"$WORK/client.in" >"$WORK/client.out" 2>"$WORK/client.err"
      rc=$?; exit "$rc" ) 2>/dev/null &
    CLIENT_PID=$!
    exec 7>"$WORK/client.in"
    answered=0 sent=0
    while kill -0 "$CLIENT_PID" 2>/dev/null; do
        prompts="$(grep -o 'Enter PKCS#11 key PIN' "$WORK/client.err" 2>/dev/null | wc -l)"
        if (( prompts > answered )); then
            # A subshell: if the client is gone, SIGPIPE ends it, not this script.
            ( printf '%s\n' "$(<"$PIN_FILE")" >&7 ) 2>/dev/null
            answered=$prompts
        fi
        if (( ! sent )) && grep -q 'Verify return code:' "$WORK/client.out" 2>/dev/null; then
            ( printf 'ping\nCLOSE\n' >&7 ) 2>/dev/null
            sent=1
        fi
        sleep 0.05
    done
    # Braces + redirection: no "Segmentation fault" job notice from bash on our stderr.
    { wait "$CLIENT_PID"; } 2>/dev/null
    client_rc=$?
    CLIENT_PID=""
    exec 7>&-
    (( answered )) && printf '%s: answered %d context-specific PIN prompt(s) (CKA_ALWAYS_AUTHENTICATE)\n' \
        "$SCRIPT_NAME" "$answered" >&2
else
    priority="NORMAL:-VERS-ALL:+VERS-TLS${TLS}"
    if [[ -n "$CLIENT_SIGALGS" ]]; then
        priority+=":-SIGN-ALL"
        IFS=':,' read -r -a algs <<<"$CLIENT_SIGALGS"
        for alg in "${algs[@]}"; do
            case "${alg,,}" in
                rsa+sha1|rsa_pkcs1_sha1) priority+=":+SIGN-RSA-SHA1" ;;
                rsa+sha224) priority+=":+SIGN-RSA-SHA224" ;;
                rsa+sha256|rsa_pkcs1_sha256) priority+=":+SIGN-RSA-SHA256" ;;
                rsa+sha384|rsa_pkcs1_sha384) priority+=":+SIGN-RSA-SHA384" ;;
                rsa+sha512|rsa_pkcs1_sha512) priority+=":+SIGN-RSA-SHA512" ;;
                rsa-pss+sha256|rsa_pss_rsae_sha256) priority+=":+SIGN-RSA-PSS-RSAE-SHA256" ;;
                rsa-pss+sha384|rsa_pss_rsae_sha384) priority+=":+SIGN-RSA-PSS-RSAE-SHA384" ;;
                rsa-pss+sha512|rsa_pss_rsae_sha512) priority+=":+SIGN-RSA-PSS-RSAE-SHA512" ;;
                rsa_pss_pss_sha256) priority+=":+SIGN-RSA-PSS-SHA256" ;;
                rsa_pss_pss_sha384) priority+=":+SIGN-RSA-PSS-SHA384" ;;
                rsa_pss_pss_sha512) priority+=":+SIGN-RSA-PSS-SHA512" ;;
                ecdsa+sha256|ecdsa_secp256r1_sha256) priority+=":+SIGN-ECDSA-SHA256:+SIGN-ECDSA-SECP256R1-SHA256" ;;
                ecdsa+sha384|ecdsa_secp384r1_sha384) priority+=":+SIGN-ECDSA-SHA384:+SIGN-ECDSA-SECP384R1-SHA384" ;;
                ecdsa+sha512|ecdsa_secp521r1_sha512) priority+=":+SIGN-ECDSA-SHA512:+SIGN-ECDSA-SECP521R1-SHA512" ;;
                ed25519) priority+=":+SIGN-EDDSA-ED25519" ;;
                ed448) priority+=":+SIGN-EDDSA-ED448" ;;
                *) usage_error "--client-sigalgs: no GnuTLS mapping for '$alg'" ;;
            esac
        done
        # The demo server's key and the CA are ECDSA P-256 with SHA-256.
        priority+=":+SIGN-ECDSA-SHA256:+SIGN-ECDSA-SECP256R1-SHA256"
    fi
    printf '%s\n' "$priority" >"$WORK/gnutls-priority"
    gnutls_args=()
    # gnutls-cli --provider loads LIB alone instead of p11-kit's registered modules.
    [[ -n "$MODULE" ]] && gnutls_args=(--provider "$(realpath "$MODULE")")
    # GnuTLS reads the token PIN from GNUTLS_PIN (environment, not the argument list).
    printf 'ping\nCLOSE\n' | GNUTLS_PIN="$(<"$PIN_FILE")" SOFTHSM2_CONF="$CONF" timeout "$TIMEOUT" \
        gnutls-cli 127.0.0.1 --port "$PORT" --sni-hostname localhost --x509cafile "$CA" \
        --x509keyfile "$URI" --x509certfile "$CERT" --priority "$priority" "${gnutls_args[@]}" \
        >"$WORK/client.out" 2>"$WORK/client.err"
    client_rc=$?
fi

# The server ends by itself after its single connection (-naccept 1). If the client
# never reached it (no ClientHello in the trace), there is nothing to wait for.
if grep -q '^Received Record' "$WORK/server.out"; then
    for _ in $(seq 1 $(( TIMEOUT * 20 ))); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
fi
kill "$SERVER_PID" 2>/dev/null
{ wait "$SERVER_PID"; } 2>/dev/null
SERVER_PID=""

# --- verdict: only the server's word counts ---------------------------------------
# s_server prints "CONNECTION ESTABLISHED", then (print_ssl_summary) "Peer certificate: <subject>"
# and "Verification: OK" once the handshake, including the client's Certificate and
# CertificateVerify, has been accepted under -verify_return_error.
if grep -q 'CONNECTION ESTABLISHED' "$WORK/server.err" \
   && grep -q '^Peer certificate: .*CN = ' "$WORK/server.err" \
   && grep -q '^Verification: OK' "$WORK/server.err"; then
    # The client's CertificateVerify, as received and decoded by the server (-trace).
    scheme="$(awk '
        /^Received Record/ { dir = "in" }
        /^Sent Record/     { dir = "out" }
        dir == "in" && /^ *CertificateVerify, Length=/ { want = 1; next }
        want && /Signature Algorithm: / {
            sub(/.*Signature Algorithm: /, ""); sub(/ \(0x[0-9a-fA-F]+\).*/, ""); print; exit }
    ' "$WORK/server.out")"
    if [[ -z "$scheme" ]]; then
        # Fallback: s_server's summary ("Signature type: RSA-PSS", "Hash used: SHA256").
        # The demo certificates hold rsaEncryption keys, so RSA-PSS means rsa_pss_rsae_*.
        sigtype="$(sed -n 's/^Signature type: //p' "$WORK/server.err" | head -n1)"
        hash="$(sed -n 's/^Hash used: SHA//p' "$WORK/server.err" | head -n1)"
        case "$sigtype:$hash" in
            RSA-PSS:256|RSA-PSS:384|RSA-PSS:512) scheme="rsa_pss_rsae_sha${hash}" ;;
            RSA:1|RSA:224|RSA:256|RSA:384|RSA:512) scheme="rsa_pkcs1_sha${hash}" ;;
            ECDSA:256) scheme="ecdsa_secp256r1_sha256" ;;
            ECDSA:384) scheme="ecdsa_secp384r1_sha384" ;;
            ECDSA:512) scheme="ecdsa_secp521r1_sha512" ;;
            Ed25519:*) scheme="ed25519" ;;
            Ed448:*) scheme="ed448" ;;
        esac
    fi
    printf 'result=ok scheme=%s\n' "${scheme:-unknown}"
    exit 0
fi

# --- failure: name the cause --------------------------------------------------------
ckr_name() { # libp11 reports CK_RV in the low 12 bits of its ERR_CKR_error code
    local rv=$((16#$1 & 0xFFF))
    case "$rv" in
        1) echo CKR_CANCEL ;; 5) echo CKR_GENERAL_ERROR ;; 6) echo CKR_FUNCTION_FAILED ;;
        7) echo CKR_ARGUMENTS_BAD ;; 27) echo CKR_ACTION_PROHIBITED ;; 32) echo CKR_DATA_INVALID ;;
        33) echo CKR_DATA_LEN_RANGE ;; 48) echo CKR_DEVICE_ERROR ;; 50) echo CKR_DEVICE_REMOVED ;;
        84) echo CKR_FUNCTION_NOT_SUPPORTED ;; 96) echo CKR_KEY_HANDLE_INVALID ;;
        98) echo CKR_KEY_SIZE_RANGE ;; 99) echo CKR_KEY_TYPE_INCONSISTENT ;;
        104) echo CKR_KEY_FUNCTION_NOT_PERMITTED ;; 112) echo CKR_MECHANISM_INVALID ;;
        113) echo CKR_MECHANISM_PARAM_INVALID ;; 130) echo CKR_OBJECT_HANDLE_INVALID ;;
        144) echo CKR_OPERATION_ACTIVE ;; 145) echo CKR_OPERATION_NOT_INITIALIZED ;;
        160) echo CKR_PIN_INCORRECT ;; 161) echo CKR_PIN_INVALID ;; 162) echo CKR_PIN_LEN_RANGE ;;
        164) echo CKR_PIN_LOCKED ;; 179) echo CKR_SESSION_HANDLE_INVALID ;;
        224) echo CKR_TOKEN_NOT_PRESENT ;; 256) echo CKR_USER_ALREADY_LOGGED_IN ;;
        257) echo CKR_USER_NOT_LOGGED_IN ;; 258) echo CKR_USER_PIN_NOT_INITIALIZED ;;
        *) printf 'CKR_0x%X\n' "$rv" ;;
    esac
}

client_cause=""
if (( client_rc == 124 )); then
    client_cause="client timed out after ${TIMEOUT} s"
elif (( client_rc > 128 )); then
    client_cause="client killed by signal $((client_rc - 128))$( (( client_rc == 139 )) && echo ' (SIGSEGV)')"
fi
if [[ "$CLIENT" == openssl ]]; then
    ckr_hex="$(sed -n 's/.*error:418\([0-9A-Fa-f]\{5\}\):PKCS#11 module:.*/\1/p' "$WORK/client.err" | head -n1)"
    [[ -n "$ckr_hex" ]] && client_cause="${client_cause:+$client_cause, }$(ckr_name "$ckr_hex")"
    # First plain-text message from s_client/libp11 and first non-PKCS#11 OpenSSL reason.
    noise='^(Engine "pkcs11" set\.|depth=|verify return:|Can.t use SSL_get_servername|[0-9A-F]+:error:)'
    text="$(sed 's/Enter PKCS#11 key PIN for [^:]*://g' "$WORK/client.err" | grep -Ev "$noise" | grep -m1 '[A-Za-z]')"
    reason="$(grep -v ':PKCS#11 module:' "$WORK/client.err" \
              | sed -n 's/^.*[0-9A-F]*:error:[0-9A-F]*:[^:]*:\([^:]*\):\([^:]*\):.*/\1: \2/p' | head -n1)"
    detail="${text}${text:+${reason:+ (}}${reason}${text:+${reason:+)}}"
    [[ -n "$detail" ]] && client_cause="${client_cause:+$client_cause; }client: ${detail}"
else
    detail="$(grep -h -m1 -E '^\*\*\* (Fatal error|Handshake has failed)|^Error|[Ee]rror in|GnuTLS error' \
                "$WORK/client.err" "$WORK/client.out" | head -n1 | sed 's/^\*\*\* //')"
    # GnuTLS folds CK_RV values into a few error codes (lib/pkcs11.c, pkcs11_rv_to_err).
    case "$detail" in
        *"PKCS #11 unsupported feature"*) detail+=" [CKR_MECHANISM_INVALID or CKR_FUNCTION_NOT_SUPPORTED]" ;;
        *"PKCS #11 error in key"*) detail+=" [a CKR_KEY_* code, e.g. CKR_KEY_FUNCTION_NOT_PERMITTED]" ;;
        *"PKCS #11 error in PIN"*) detail+=" [CKR_PIN_INCORRECT, CKR_PIN_INVALID or CKR_PIN_LEN_RANGE]" ;;
        *"PKCS #11 user error"*) detail+=" [a CKR_USER_* code, e.g. CKR_USER_NOT_LOGGED_IN]" ;;
    esac
    [[ -n "$detail" ]] && client_cause="${client_cause:+$client_cause; }client: ${detail}"
    if [[ -z "$detail" && "$client_rc" -ne 0 ]]; then
        client_cause="${client_cause:+$client_cause; }client exit ${client_rc}: $(grep -m1 . "$WORK/client.err" | sed 's/^\*\*\* //')"
    fi
fi

server_cause="$(sed -n 's/^verify error:num=[0-9]*:\(.*\)$/verify error: \1/p' "$WORK/server.err" | head -n1)"
if [[ -z "$server_cause" ]]; then
    server_cause="$(sed -n 's/^[0-9A-F]*:error:[0-9A-F]*:SSL routines:[^:]*:\([^:]*\):.*/\1/p' "$WORK/server.err" | head -n1)"
fi
if [[ -z "$server_cause" ]] && ! grep -q 'CONNECTION' "$WORK/server.err"; then
    server_cause="no connection"
fi
cause="${client_cause:-client reported nothing}; server: ${server_cause:-no error logged}"
emit_fail "$cause"
