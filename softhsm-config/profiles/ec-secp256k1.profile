# secp256k1 (the Bitcoin curve; some crypto-wallet tokens). TLS defines no
# signature scheme for it (RFC 8446 §4.2.3, RFC 8422 deprecates it for TLS 1.2).
DESCRIPTION="EC secp256k1, CKM_ECDSA (crypto-wallet style token; curve not usable in TLS)"
EXPECTED_VERDICT=incompatible
MECHANISMS="CKM_EC_KEY_PAIR_GEN,CKM_ECDSA,CKM_ECDH1_DERIVE"
KEY_TYPE="EC:secp256k1"
