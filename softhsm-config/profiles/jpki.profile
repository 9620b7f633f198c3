# Card family jpki: Japanese My Number card (JPKI) through OpenSC, its authentication key (RSA-2048) as
# OpenSC (opensc-pkcs11.so) presents it. Key, mechanisms, token info and
# expected verdict come from the catalog, src/TokenService.Server/SmartCards/families.json;
# the token is used through tools/p11view.so (provision.sh builds it).
FAMILY=jpki
# PKCS#1 v1.5 only, no PSS and no raw RSA: Chrome on Windows has no PSS route either (as rsa-pkcs1-only).
EXPECTED_CHROME_WINDOWS=tls12-only
