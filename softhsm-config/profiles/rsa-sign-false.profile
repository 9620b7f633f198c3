# Decryption-only key (a PIV 9D key-management slot, an encryption key on an
# OpenPGP card): CKA_SIGN false, C_SignInit returns CKR_KEY_FUNCTION_NOT_PERMITTED.
DESCRIPTION="RSA-2048, all mechanisms, key CKA_SIGN = false (decryption-only key, PIV 9D style)"
EXPECTED_VERDICT=incompatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
KEY_SIGN=false
# Without the PIN the private key and this attribute of it are hidden: the key is judged from its
# certificate and public key, unconfirmed, and says it could not see CKA_SIGN.
UNCONFIRMED_VERDICT=compatible
UNCONFIRMED_BECAUSE=CKA_SIGN
