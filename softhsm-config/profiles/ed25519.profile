# Ed25519 key (OpenPGP card 3.4 / Nitrokey through OpenSC, YubiKey 5.7 PIV).
# GnuTLS signs with CKM_EDDSA; the libp11 0.4.12 engine cannot use EdDSA keys.
DESCRIPTION="Ed25519, CKM_EDDSA (OpenPGP card 3.4 / YubiKey 5.7 PIV Ed25519)"
EXPECTED_VERDICT=client-dependent
EXPECTED_CHROME_WINDOWS=incompatible
MECHANISMS="CKM_EC_EDWARDS_KEY_PAIR_GEN,CKM_EDDSA"
KEY_TYPE="EC:edwards25519"
