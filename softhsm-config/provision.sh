#!/usr/bin/env bash
# provision.sh: build one SoftHSM2 token per profile, each in its own token
# directory with its own softhsm2.conf, plus a demo CA that issues every
# token key's client certificate. See softhsm-config/README.md.
#
# Idempotent: a profile whose stamp (hash of the profile file, this script's
# format version and the CA certificate) is current is left alone.
set -euo pipefail

readonly FORMAT_VERSION=1
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
PROFILES_DIR="${SCRIPT_DIR}/profiles"
# Card families (FAMILY=ID profiles) come from the catalog the program ships; p11view presents their view.
CATALOG="${SCRIPT_DIR}/../src/TokenService.Server/SmartCards/families.json"
VIEW_SOURCE="${SCRIPT_DIR}/tools/p11view.c"
SOFTHSM_MODULE="${SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
FORCE=0

usage() {
    cat <<EOF
Usage: provision.sh [--profiles-dir DIR] [--force] OUT_DIR [PROFILE...]

Provisions one SoftHSM2 token per profile (default: every *.profile in
${PROFILES_DIR}) under OUT_DIR:

  OUT_DIR/pin, OUT_DIR/so-pin      user PIN and SO PIN shared by all demo tokens
                                   (mode 0600, no trailing newline)
  OUT_DIR/ca/ca.pem, ca.key        demo CA that issues every client certificate
  OUT_DIR/ca/server.pem, server.key  TLS server certificate (CN=localhost,
                                   SAN DNS:localhost, IP:127.0.0.1) for handshake.sh
  OUT_DIR/NAME/softhsm2.conf       config to use the token (mechanism whitelist applied)
  OUT_DIR/NAME/view.conf           family profiles only: the card family's view (tools/p11view.c)
  OUT_DIR/tools/p11view.so         the PKCS#11 module that presents a family's view over SoftHSM2
  OUT_DIR/tools/p11probe           what a token allows, mechanism by mechanism (tools/p11probe.c)
  OUT_DIR/NAME/provision.conf      unrestricted config, same token directory
  OUT_DIR/NAME/tokens/             SoftHSM2 token directory (token label = NAME)
  OUT_DIR/NAME/cert.pem            the certificate stored on the token (CKA_ID 01)
  OUT_DIR/manifest.tsv             one row per current profile (also printed on stdout):
                                   profile, config, token_label, expected_verdict, description,
                                   module (the PKCS#11 module to load: SoftHSM2, or p11view.so
                                   for a family profile)

A profile is either a synthetic corner (KEY_TYPE, MECHANISMS, ... in NAME.profile)
or a card family, FAMILY=ID: key type, expected verdict, mechanism list with flags
and token info come from the catalog (${CATALOG#"${SCRIPT_DIR}/"}), and
the token is used through tools/p11view.so, which answers as the family's middleware.

Options:
  --profiles-dir DIR   read NAME.profile files from DIR
  --force              re-provision even when a profile's stamp is current
  -h, --help           this text

Environment: SOFTHSM_MODULE (default /usr/lib/softhsm/libsofthsm2.so).
Progress goes to stderr; PINs are never printed.
EOF
}

log() { printf '[provision] %s\n' "$*" >&2; }
die() { printf 'provision.sh: error: %s\n' "$*" >&2; exit 1; }

require_tool() {
    command -v "$1" >/dev/null 2>&1 \
        || die "'$1' not found: install the Debian package '$2' (apt-get install $2)"
}

check_prerequisites() {
    require_tool softhsm2-util softhsm2
    require_tool pkcs11-tool opensc
    require_tool openssl openssl
    require_tool p11tool gnutls-bin
    require_tool certtool gnutls-bin
    require_tool sha256sum coreutils
    require_tool flock util-linux
    require_tool jq jq
    [[ -r "$SOFTHSM_MODULE" ]] \
        || die "SoftHSM2 module not found at ${SOFTHSM_MODULE}: install the Debian package 'softhsm2' (apt-get install softhsm2)"
}

now_ms() { date +%s%3N; }
elapsed_since() { # $1 start in ms -> "12.345 s"
    local ms=$(( $(now_ms) - $1 ))
    printf '%d.%03d s' $(( ms / 1000 )) $(( ms % 1000 ))
}

random_digits() { # 8 random decimal digits
    printf '%08d' $(( $(od -An -tu4 -N4 /dev/urandom) % 100000000 ))
}

# --- lab material: PINs, demo CA, TLS server certificate --------------------

ensure_lab() {
    local out="$1" ca="$1/ca"
    if [[ -s "$out/pin" && -s "$out/so-pin" && -s "$ca/ca.pem" && -s "$ca/ca.key" \
          && -s "$ca/server.pem" && -s "$ca/server.key" ]]; then
        return 0
    fi
    log "creating PINs, demo CA and server certificate in ${out}"
    rm -rf "$ca"
    mkdir -p "$ca"
    ( umask 077
      random_digits > "$out/pin"
      random_digits > "$out/so-pin" )
    chmod 0600 "$out/pin" "$out/so-pin"

    cat > "$ca/extensions.cnf" <<'EOF'
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
    ( umask 077
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ca/ca.key" 2>/dev/null
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ca/server.key" 2>/dev/null )
    openssl x509 -new -key "$ca/ca.key" -subj "/O=TokenService lab/CN=TokenService demo CA" \
        -days 7300 -set_serial "0x$(openssl rand -hex 8)" \
        -extfile "$ca/extensions.cnf" -extensions ca -out "$ca/ca.pem"
    openssl pkey -in "$ca/server.key" -pubout -out "$ca/server.pub"
    openssl x509 -new -subj "/O=TokenService lab/CN=localhost" -force_pubkey "$ca/server.pub" \
        -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -days 3650 -set_serial "0x$(openssl rand -hex 8)" \
        -extfile "$ca/extensions.cnf" -extensions server -out "$ca/server.pem"
}

# --- profiles -----------------------------------------------------------------

# Loads NAME.profile into the PROFILE_* variables (in the caller's shell) and validates it.
load_profile() {
    local file="$1"
    DESCRIPTION="" EXPECTED_VERDICT="" MECHANISMS="" KEY_TYPE=""
    KEY_SIGN=true KEY_ALWAYS_AUTH=false KEY_ALLOWED_MECHANISMS="" KEY_PRIVATE=true
    UNCONFIRMED_VERDICT="" UNCONFIRMED_BECAUSE="" EXPECTED_CHROME_WINDOWS=""
    CERT_KEY=token CERT_KEY_USAGE="critical,digitalSignature" CERT_EXT_KEY_USAGE="clientAuth"
    CERT_DAYS=3650 CERT_NOT_BEFORE="" CERT_NOT_AFTER=""
    FAMILY="" FAMILY_JSON="" VIEW_LABEL=""
    # shellcheck source=/dev/null
    source "$file"
    local name="${file##*/}"; name="${name%.profile}"
    [[ "$name" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "$file: profile name must be kebab-case"
    [[ -z "$FAMILY" ]] || load_family "$file"
    [[ -n "$DESCRIPTION" && "$DESCRIPTION" != *$'\t'* && "$DESCRIPTION" != *$'\n'* ]] \
        || die "$file: DESCRIPTION must be one line without tabs"
    case "$EXPECTED_VERDICT" in compatible|tls12-only|client-dependent|incompatible) ;;
        *) die "$file: EXPECTED_VERDICT must be compatible, tls12-only, client-dependent or incompatible" ;; esac
    case "${EXPECTED_CHROME_WINDOWS:-$EXPECTED_VERDICT}" in compatible|tls12-only|incompatible) ;;
        *) die "$file: EXPECTED_CHROME_WINDOWS must be compatible, tls12-only or incompatible (one client cannot disagree with itself)" ;; esac
    [[ "$KEY_TYPE" =~ ^(rsa:[0-9]+|EC:[A-Za-z0-9_-]+)$ ]] || die "$file: KEY_TYPE '$KEY_TYPE' not understood"
    local flag
    for flag in "$KEY_SIGN" "$KEY_ALWAYS_AUTH" "$KEY_PRIVATE"; do
        case "$flag" in true|false) ;; *) die "$file: KEY_SIGN, KEY_ALWAYS_AUTH and KEY_PRIVATE must be true or false" ;; esac
    done
    case "$UNCONFIRMED_VERDICT" in ""|compatible|tls12-only|client-dependent|incompatible) ;;
        *) die "$file: UNCONFIRMED_VERDICT must be compatible, tls12-only or incompatible" ;; esac
    case "$UNCONFIRMED_BECAUSE" in ""|CKA_SIGN|CKA_ALLOWED_MECHANISMS|CKA_ALWAYS_AUTHENTICATE) ;;
        *) die "$file: UNCONFIRMED_BECAUSE must be CKA_SIGN, CKA_ALLOWED_MECHANISMS or CKA_ALWAYS_AUTHENTICATE" ;; esac
    case "$CERT_KEY" in token|other) ;; *) die "$file: CERT_KEY must be token or other" ;; esac
    if [[ ( "$KEY_SIGN" == false || "$KEY_PRIVATE" == false ) && ( -n "$KEY_ALLOWED_MECHANISMS" || "$KEY_TYPE" != rsa:* ) ]]; then
        die "$file: KEY_SIGN=false and KEY_PRIVATE=false are supported for RSA keys without KEY_ALLOWED_MECHANISMS only"
    fi
    if [[ -n "$CERT_NOT_BEFORE$CERT_NOT_AFTER" && ( -z "$CERT_NOT_BEFORE" || -z "$CERT_NOT_AFTER" ) ]]; then
        die "$file: set both CERT_NOT_BEFORE and CERT_NOT_AFTER, or neither"
    fi
}

# A family profile: the catalog decides the key, the expected verdict and the view (key 0 is the
# family's typical authentication key); the profile file may only add EXPECTED_CHROME_WINDOWS.
load_family() { # $1 profile file; FAMILY set
    local file="$1"
    [[ -z "$KEY_TYPE$MECHANISMS$EXPECTED_VERDICT$KEY_ALLOWED_MECHANISMS" ]] \
        || die "$file: a FAMILY profile takes its key, mechanisms and expected verdict from the catalog"
    [[ -r "$CATALOG" ]] || die "card family catalog not found at ${CATALOG}"
    FAMILY_JSON="$(jq -ce --arg id "$FAMILY" '.families[] | select(.id == $id)' "$CATALOG")" \
        || die "$file: FAMILY '$FAMILY' is not in ${CATALOG}"
    DESCRIPTION="$(jq -r '"\(.name), as \(.middleware.module) presents it (family \(.id))"' <<<"$FAMILY_JSON")"
    KEY_TYPE="$(jq -r '.keys[0] | if .keyType == "RSA" then "rsa:\(.bits)"
        elif .keyType == "EC" then "EC:" + ({"secp256r1": "prime256v1"}[.curve] // .curve) else "unsupported" end' <<<"$FAMILY_JSON")"
    EXPECTED_VERDICT="$(jq -r '.keys[0].expectedVerdict' <<<"$FAMILY_JSON")"
    VIEW_LABEL="$(jq -r '.token.label // empty' <<<"$FAMILY_JSON")"
}

# The view tools/p11view.c reads: the family's mechanisms with their flags, its token and library info.
write_view() { # $1 file
    {
        printf '# Written by softhsm-config/provision.sh from the catalog family %s; do not edit.\n' "$FAMILY"
        printf 'module = %s\n' "$SOFTHSM_MODULE"
        jq -r '(.token // {}) as $t
            | [ if $t.libraryManufacturer then "library.manufacturer = \($t.libraryManufacturer)" else empty end,
                if $t.libraryDescription then "library.description = \($t.libraryDescription)" else empty end,
                if $t.label then "token.label = \($t.label)" else empty end,
                if $t.manufacturer then "token.manufacturer = \($t.manufacturer)" else empty end,
                if $t.model then "token.model = \($t.model)" else empty end ]
              + [ .mechanisms[] | "mechanism = \(.name) \(.minKeySize) \(.maxKeySize) \(.flags | join(","))" ]
            | .[]' <<<"$FAMILY_JSON"
    } > "$1"
}

# SoftHSM's own whitelist for a family: the family's mechanisms SoftHSM implements (the view
# answers for the rest; signing with one of those fails as SoftHSM cannot do it).
family_whitelist() { # $1 unrestricted conf, $2 token label
    local offered
    offered="$(SOFTHSM2_CONF="$1" pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$2" --list-mechanisms 2>/dev/null \
        | sed -n 's/^  \([A-Z0-9-]*\)[, ].*/CKM_\1/p' | tr '-' '_')"
    jq -r '.mechanisms[].name' <<<"$FAMILY_JSON" | grep -Fxf <(printf '%s\n' "$offered") | paste -sd, -
}

# The view must list exactly the family's mechanisms and refuse one it does not list.
verify_view() { # $1 conf beside view.conf, $2 view label
    local want got label
    want="$(jq '.mechanisms | length' <<<"$FAMILY_JSON")"
    got="$(SOFTHSM2_CONF="$1" pkcs11-tool --module "$OUT/tools/p11view.so" --slot-index 0 --list-mechanisms 2>/dev/null | grep -c '^  ')"
    [[ "$want" == "$got" ]] || { log "the view lists ${got} mechanisms, the family ${want}"; return 1; }
    label="$(SOFTHSM2_CONF="$1" pkcs11-tool --module "$OUT/tools/p11view.so" --list-token-slots 2>/dev/null \
        | sed -n 's/^  token label *: //p' | head -n1)"
    [[ "$label" == "$2" ]] || { log "the view shows token label '${label}', expected '$2'"; return 1; }
}

# OUT/tools: p11view.so (a family's view) and p11probe (what a token really allows, mechanism by
# mechanism; the hardware tests use it), each rebuilt when its source changes.
build_tools() {
    local dir="$OUT/tools" compiler source sum out
    compiler="$(command -v cc || command -v gcc || command -v clang)" \
        || die "no C compiler to build softhsm-config/tools: install clang (eng/install-deps.sh)"
    [[ -r /usr/include/p11-kit-1/p11-kit/pkcs11.h ]] \
        || die "PKCS#11 headers missing: install the Debian package libp11-kit-dev"
    mkdir -p "$dir"
    for source in "$VIEW_SOURCE" "${SCRIPT_DIR}/tools/p11probe.c"; do
        out="${source##*/}"; out="${out%.c}"
        local flags=(-O2 -Wall -Wextra -Werror -I/usr/include/p11-kit-1)
        if [[ "$out" == p11view ]]; then out+=.so; flags+=(-shared -fPIC -fvisibility=hidden); fi
        sum="$(sha256sum < "$source")"; sum="${sum%% *}"
        [[ -f "$dir/$out" && "$(cat "$dir/$out.stamp" 2>/dev/null)" == "$sum" ]] && continue
        "$compiler" "${flags[@]}" -o "$dir/.$out.tmp" "$source" -ldl -lpthread || die "building ${source} failed"
        mv "$dir/.$out.tmp" "$dir/$out"
        printf '%s\n' "$sum" > "$dir/$out.stamp"
        log "built ${dir}/${out}"
    done
}

profile_stamp() { # $1 profile file; CA_HASH set by main
    local sum family=""
    family="$(sed -n 's/^FAMILY=//p' "$1" | tr -d '"')"
    [[ -n "$family" ]] && family="$(jq -c --arg id "$family" '.families[] | select(.id == $id)' "$CATALOG")"
    sum="$(printf 'format=%s\nca=%s\n%s\n%s\n' "$FORMAT_VERSION" "$CA_HASH" "$(<"$1")" "$family" | sha256sum)"
    printf '%s\n' "${sum%% *}"
}

is_current() { # $1 profile dir, $2 expected stamp
    [[ -f "$1/.stamp" && "$(<"$1/.stamp")" == "$2" && -s "$1/softhsm2.conf" \
       && -s "$1/cert.pem" && -d "$1/tokens" ]]
}

write_conf() { # $1 file, $2 token dir, $3 mechanism whitelist (empty: all)
    {
        printf '# Written by softhsm-config/provision.sh; do not edit.\n'
        printf 'directories.tokendir = %s\n' "$2"
        printf 'objectstore.backend = file\n'
        printf 'log.level = ERROR\n'
        printf 'slots.removable = false\n'
        if [[ -n "$3" ]]; then
            printf '# Whitelist (SoftHSM 2.6.1 blacklists are broken; unknown names are dropped silently).\n'
            printf 'slots.mechanisms = %s\n' "$3"
        else
            printf 'slots.mechanisms = ALL\n'
        fi
    } > "$1"
}

software_key_for() { # $1 KEY_TYPE, $2 output private key: same key type as the token key
    case "$1" in
        rsa:*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${1#rsa:}" -out "$2" 2>/dev/null ;;
        EC:edwards25519|EC:ed25519) openssl genpkey -algorithm ED25519 -out "$2" ;;
        EC:*) openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${1#EC:}" -out "$2" 2>/dev/null ;;
    esac
}

issue_certificate() { # $1 work dir, $2 profile name, $3 public key PEM, $4 output PEM
    local work="$1" name="$2" pub="$3" out="$4" ca="$OUT/ca"
    local serial; serial="$(openssl rand -hex 8)"
    if [[ -z "$CERT_NOT_BEFORE" ]]; then
        {
            printf '[client]\nbasicConstraints = critical,CA:FALSE\n'
            [[ -n "$CERT_KEY_USAGE" ]] && printf 'keyUsage = %s\n' "$CERT_KEY_USAGE"
            [[ -n "$CERT_EXT_KEY_USAGE" ]] && printf 'extendedKeyUsage = %s\n' "$CERT_EXT_KEY_USAGE"
            printf 'subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n'
        } > "$work/client.cnf"
        openssl x509 -new -subj "/O=TokenService lab/CN=${name}" -force_pubkey "$pub" \
            -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -days "$CERT_DAYS" -set_serial "0x${serial}" \
            -extfile "$work/client.cnf" -extensions client -out "$out"
    else
        # openssl x509 (3.0) cannot set explicit dates; certtool can (keyUsage is always critical there).
        {
            printf 'organization = "TokenService lab"\ncn = "%s"\nserial = 0x%s\n' "$name" "$serial"
            printf 'activation_date = "%s 00:00:00 UTC"\nexpiration_date = "%s 00:00:00 UTC"\n' \
                "$CERT_NOT_BEFORE" "$CERT_NOT_AFTER"
            [[ "$CERT_KEY_USAGE" == *digitalSignature* ]] && printf 'signing_key\n'
            [[ "$CERT_KEY_USAGE" == *keyEncipherment* ]] && printf 'encryption_key\n'
            [[ "$CERT_EXT_KEY_USAGE" == *clientAuth* ]] && printf 'tls_www_client\n'
            true
        } > "$work/client.tmpl"
        certtool --generate-certificate --load-pubkey "$pub" --load-ca-certificate "$ca/ca.pem" \
            --load-ca-privkey "$ca/ca.key" --template "$work/client.tmpl" --outfile "$work/certtool.pem" \
            >/dev/null 2>"$work/certtool.log" || { cat "$work/certtool.log" >&2; return 1; }
        openssl x509 -in "$work/certtool.pem" -out "$out"
    fi
}

# Writes $2/token-pubkey.pem from the token's public key object.
export_public_key() { # $1 token label, $2 work dir
    local label="$1" work="$2"
    case "$KEY_TYPE" in
        EC:edwards25519|EC:ed25519|rsa:*)
            pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$label" --read-object --type pubkey \
                --id 01 --output-file "$work/token-pubkey.raw" >/dev/null 2>&1
            # pkcs11-tool writes DER for RSA but PEM for EdDSA keys.
            openssl pkey -pubin -inform DER -in "$work/token-pubkey.raw" -out "$work/token-pubkey.pem" 2>/dev/null \
                || openssl pkey -pubin -inform PEM -in "$work/token-pubkey.raw" -out "$work/token-pubkey.pem"
            ;;
        EC:*)
            # pkcs11-tool 0.23 cannot export P-384/P-521/secp256k1 public keys
            # ("cannot create EVP_PKEY"): build the SubjectPublicKeyInfo from CKA_EC_POINT.
            local point
            point="$(pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$label" --list-objects \
                        --type pubkey --id 01 2>/dev/null | awk '$1 == "EC_POINT:" {print $2; exit}')"
            [[ -n "$point" ]] || { log "no CKA_EC_POINT on the public key"; return 1; }
            # CKA_EC_POINT is a DER OCTET STRING: drop its tag and length.
            if [[ "${point:2:2}" == 81 ]]; then point="${point:6}"; else point="${point:4}"; fi
            printf 'asn1 = SEQUENCE:spki\n[spki]\nalg = SEQUENCE:alg\nkey = FORMAT:HEX,BITSTRING:%s\n[alg]\nid = OID:id-ecPublicKey\ncurve = OID:%s\n' \
                "$point" "${KEY_TYPE#EC:}" > "$work/spki.cnf"
            openssl asn1parse -genconf "$work/spki.cnf" -noout -out "$work/token-pubkey.der"
            openssl pkey -pubin -inform DER -in "$work/token-pubkey.der" -out "$work/token-pubkey.pem"
            rm -f "$work/spki.cnf" "$work/token-pubkey.der"
            ;;
    esac
}

generate_key() { # $1 token label; PIN in $PIN
    local label="$1"
    if [[ "$KEY_SIGN" == false || "$KEY_PRIVATE" == false ]]; then
        # pkcs11-tool never sets CKA_SIGN=false (SoftHSM then defaults it to true)
        # nor CKA_PRIVATE=false on a generated private key; p11tool --mark-decrypt
        # without --mark-sign does the first, --no-mark-private the second.
        local extra=()
        [[ "$KEY_ALWAYS_AUTH" == true ]] && extra+=(--mark-always-authenticate)
        if [[ "$KEY_SIGN" == true ]]; then extra+=(--mark-sign); else extra+=(--mark-decrypt); fi
        [[ "$KEY_PRIVATE" == false ]] && extra+=(--no-mark-private)
        GNUTLS_PIN="$PIN" p11tool --provider "$SOFTHSM_MODULE" --login \
            --generate-privkey=rsa --bits="${KEY_TYPE#rsa:}" --label auth --id 01 \
            "${extra[@]}" --outfile /dev/null "pkcs11:token=${label}" >/dev/null 2>&1
    else
        local extra=(--usage-sign)
        [[ "$KEY_ALWAYS_AUTH" == true ]] && extra+=(--always-auth)
        [[ -n "$KEY_ALLOWED_MECHANISMS" ]] && extra+=(--allowed-mechanisms "$KEY_ALLOWED_MECHANISMS")
        pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$label" --login --pin "$PIN" \
            --keypairgen --key-type "$KEY_TYPE" --id 01 --label auth "${extra[@]}" >/dev/null
    fi
}

# Checks that the token holds what the profile asked for (pkcs11-tool -O read-back).
verify_token() { # $1 token label, $2 work dir
    local label="$1" listing="$2/objects.txt"
    pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$label" --login --pin "$PIN" \
        --list-objects > "$listing" 2>/dev/null
    local priv; priv="$(awk '/^Private Key Object/{p=1;print;next} /^[A-Z]/{p=0} p' "$listing")"
    [[ "$(grep -c '^Private Key Object' "$listing")" == 1 ]] || { log "expected one private key"; return 1; }
    grep -q '^Certificate Object' "$listing" || { log "certificate missing"; return 1; }
    if [[ "$KEY_SIGN" == false ]]; then
        grep -Eq 'Usage:.*\bsign\b' <<<"$priv" && { log "CKA_SIGN still true"; return 1; }
    else
        grep -Eq 'Usage:.*\bsign\b' <<<"$priv" || { log "CKA_SIGN not true"; return 1; }
    fi
    if [[ "$KEY_ALWAYS_AUTH" == true ]]; then
        grep -q 'always authenticate' <<<"$priv" || { log "CKA_ALWAYS_AUTHENTICATE not set"; return 1; }
    fi
    if [[ -n "$KEY_ALLOWED_MECHANISMS" ]]; then
        grep -q "Allowed mechanisms: ${KEY_ALLOWED_MECHANISMS}" <<<"$priv" \
            || { log "CKA_ALLOWED_MECHANISMS did not read back as ${KEY_ALLOWED_MECHANISMS}"; return 1; }
    fi
    # Without login a token shows only objects whose CKA_PRIVATE is false (PKCS#11 v2.40 §4.4).
    local public_private_keys
    public_private_keys="$(pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$label" --list-objects 2>/dev/null \
        | grep -c '^Private Key Object' || true)"
    if [[ "$KEY_PRIVATE" == false ]]; then
        [[ "$public_private_keys" == 1 ]] || { log "private key not visible without login (CKA_PRIVATE still true)"; return 1; }
    else
        [[ "$public_private_keys" == 0 ]] || { log "private key visible without login (CKA_PRIVATE false)"; return 1; }
    fi
}

# With the restricted config, the library must list exactly the whitelisted
# mechanisms: SoftHSM drops unknown names silently, so a typo would widen nothing
# but narrow the list unnoticed.
verify_whitelist() { # $1 restricted conf, $2 token label
    [[ -z "$MECHANISMS" ]] && return 0
    local want got
    want="$(tr ',' '\n' <<<"$MECHANISMS" | grep -c .)"
    got="$(SOFTHSM2_CONF="$1" pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$2" \
            --list-mechanisms 2>/dev/null | grep -c '^  ')"
    [[ "$want" == "$got" ]] \
        || { log "slots.mechanisms lists ${want} names but the token offers ${got} mechanisms (typo?)"; return 1; }
}

provision_profile() { # $1 profile file; runs in a subshell (profile variables stay local)
    local file="$1" name="${1##*/}"; name="${name%.profile}"
    load_profile "$file"
    local final="$OUT/$name" work="$OUT/.${name}.tmp" stamp
    stamp="$(profile_stamp "$file")"
    if [[ "$FORCE" == 0 ]] && is_current "$final" "$stamp"; then
        log "${name}: up to date"
        return 0
    fi
    local started; started="$(now_ms)"
    log "${name}: provisioning (${KEY_TYPE}${MECHANISMS:+, whitelist ${MECHANISMS}})"
    rm -rf "$work"
    mkdir -p "$work/tokens"
    # Keys are generated while every mechanism is available (provision.conf);
    # softhsm2.conf applies the whitelist afterwards ("restricted after key creation").
    write_conf "$work/provision.conf" "$work/tokens" ""
    export SOFTHSM2_CONF="$work/provision.conf"

    softhsm2-util --init-token --free --label "$name" --so-pin "$SO_PIN" --pin "$PIN" >/dev/null
    generate_key "$name"

    export_public_key "$name" "$work"

    local cert_pub="$work/token-pubkey.pem"
    if [[ "$CERT_KEY" == other ]]; then
        software_key_for "$KEY_TYPE" "$work/other.key"
        openssl pkey -in "$work/other.key" -pubout -out "$work/other-pubkey.pem"
        cert_pub="$work/other-pubkey.pem"
    fi
    issue_certificate "$work" "$name" "$cert_pub" "$work/cert.pem"
    openssl x509 -in "$work/cert.pem" -outform DER -out "$work/cert.der"
    pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$name" --login --pin "$PIN" \
        --write-object "$work/cert.der" --type cert --id 01 --label auth >/dev/null
    verify_token "$name" "$work" || die "${name}: token does not match its profile"

    if [[ -n "$FAMILY" ]]; then
        MECHANISMS="$(family_whitelist "$work/provision.conf" "$name")"
        write_view "$work/view.conf"
    fi
    write_conf "$work/softhsm2.conf" "$final/tokens" "$MECHANISMS"
    write_conf "$work/provision.conf" "$final/tokens" ""
    write_conf "$work/verify.conf" "$work/tokens" "$MECHANISMS"
    verify_whitelist "$work/verify.conf" "$name" || die "${name}: mechanism whitelist check failed"
    if [[ -n "$FAMILY" ]]; then
        verify_view "$work/verify.conf" "${VIEW_LABEL:-$name}" || die "${name}: the family view check failed"
    fi
    cp "$file" "$work/profile"
    rm -f "$work/verify.conf" "$work/token-pubkey.raw" "$work/other.key" "$work/cert.der" \
          "$work/certtool.pem" "$work/certtool.log" "$work/client.cnf" "$work/client.tmpl"
    rm -rf "$final"
    mv "$work" "$final"
    printf '%s\n' "$stamp" > "$final/.stamp"
    log "${name}: done in $(elapsed_since "$started")"
}

write_manifest() {
    local tmp="$OUT/.manifest.tsv.tmp" file name
    printf 'profile\tconfig\ttoken_label\texpected_verdict\tdescription\tmodule\n' > "$tmp"
    for file in "$PROFILES_DIR"/*.profile; do
        name="${file##*/}"; name="${name%.profile}"
        is_current "$OUT/$name" "$(profile_stamp "$file")" || continue
        ( load_profile "$file"
          module="$SOFTHSM_MODULE"
          [[ -n "$FAMILY" ]] && module="$OUT/tools/p11view.so"
          printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$OUT/$name/softhsm2.conf" "${VIEW_LABEL:-$name}" \
              "$EXPECTED_VERDICT" "$DESCRIPTION" "$module" ) >> "$tmp"
    done
    # Leave an unchanged manifest untouched (same mtime) so re-runs change nothing.
    if cmp -s "$tmp" "$OUT/manifest.tsv"; then rm -f "$tmp"; else mv "$tmp" "$OUT/manifest.tsv"; fi
    cat "$OUT/manifest.tsv"
}

main() {
    local selected=()
    while (( $# )); do
        case "$1" in
            -h|--help) usage; exit 0 ;;
            --force) FORCE=1 ;;
            --profiles-dir) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; PROFILES_DIR="$2"; shift ;;
            --) shift; break ;;
            -*) printf 'provision.sh: unknown option %s\n' "$1" >&2; usage >&2; exit 2 ;;
            *) break ;;
        esac
        shift
    done
    [[ $# -ge 1 ]] || { usage >&2; exit 2; }
    OUT="$1"; shift
    selected=("$@")
    check_prerequisites
    [[ -d "$PROFILES_DIR" ]] || die "profile directory ${PROFILES_DIR} not found"
    mkdir -p "$OUT"
    OUT="$(cd "$OUT" && pwd)"
    exec 9>"$OUT/.lock"
    flock 9 || die "cannot lock ${OUT}/.lock"

    local started; started="$(now_ms)"
    ensure_lab "$OUT"
    PIN="$(<"$OUT/pin")"
    SO_PIN="$(<"$OUT/so-pin")"
    CA_HASH="$(sha256sum < "$OUT/ca/ca.pem")"
    CA_HASH="${CA_HASH%% *}"

    local files=() name
    if (( ${#selected[@]} )); then
        for name in "${selected[@]}"; do
            [[ -f "$PROFILES_DIR/$name.profile" ]] || die "no profile '$name' in ${PROFILES_DIR}"
            files+=("$PROFILES_DIR/$name.profile")
        done
    else
        files=("$PROFILES_DIR"/*.profile)
        [[ -f "${files[0]}" ]] || die "no *.profile files in ${PROFILES_DIR}"
    fi
    local file
    build_tools
    # Profiles are independent (own token directory each): up to one per processor at once.
    local jobs pids=() failed=0 pid
    jobs="$(nproc 2>/dev/null || echo 2)"
    for file in "${files[@]}"; do
        if (( ${#pids[@]} >= jobs )); then
            wait "${pids[0]}" || failed=1
            pids=("${pids[@]:1}")
        fi
        ( provision_profile "$file" ) &
        pids+=("$!")
    done
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    (( failed == 0 )) || die "some profiles could not be provisioned (see above)"
    write_manifest
    log "${#files[@]} profile(s) checked in $(elapsed_since "$started"); manifest: ${OUT}/manifest.tsv"
}

main "$@"
