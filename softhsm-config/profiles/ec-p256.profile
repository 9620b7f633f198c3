# P-256 key on a PIV-like EC token: key generation, raw CKM_ECDSA (SoftHSM has no
# CKM_ECDSA_SHA*) and ECDH. TLS 1.3 scheme: ecdsa_secp256r1_sha256.
DESCRIPTION="EC P-256, CKM_ECDSA + CKM_ECDH1_DERIVE (PIV / YubiKey PIV EC slot)"
EXPECTED_VERDICT=compatible
MECHANISMS="CKM_EC_KEY_PAIR_GEN,CKM_ECDSA,CKM_ECDH1_DERIVE"
KEY_TYPE="EC:prime256v1"
