# The token lists PSS, but the key's CKA_ALLOWED_MECHANISMS allows CKM_RSA_PKCS
# only (HSM key policy). Clients choose by the token list and fail at C_SignInit.
DESCRIPTION="RSA-2048, token has all mechanisms, key CKA_ALLOWED_MECHANISMS = CKM_RSA_PKCS (HSM key policy)"
EXPECTED_VERDICT=client-dependent
EXPECTED_CHROME_WINDOWS=tls12-only
MECHANISMS=""
KEY_TYPE="rsa:2048"
KEY_ALLOWED_MECHANISMS="RSA-PKCS"
# Without the PIN the private key and this attribute of it are hidden: the key is judged from its
# certificate and public key, unconfirmed, and says it could not see CKA_ALLOWED_MECHANISMS.
UNCONFIRMED_VERDICT=compatible
UNCONFIRMED_BECAUSE=CKA_ALLOWED_MECHANISMS
