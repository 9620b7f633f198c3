# Decryption-only key (a PIV 9D key-management slot, an encryption key on an
# OpenPGP card): CKA_SIGN false, C_SignInit returns CKR_KEY_FUNCTION_NOT_PERMITTED.
DESCRIPTION="RSA-2048, all mechanisms, key CKA_SIGN = false (decryption-only key, PIV 9D style)"
EXPECTED_VERDICT=incompatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
KEY_SIGN=false
