# The token lists PSS, but the key's CKA_ALLOWED_MECHANISMS allows CKM_RSA_PKCS
# only (HSM key policy). Clients choose by the token list and fail at C_SignInit.
DESCRIPTION="RSA-2048, token has all mechanisms, key CKA_ALLOWED_MECHANISMS = CKM_RSA_PKCS (HSM key policy)"
EXPECTED_VERDICT=tls12-only
MECHANISMS=""
KEY_TYPE="rsa:2048"
KEY_ALLOWED_MECHANISMS="RSA-PKCS"
