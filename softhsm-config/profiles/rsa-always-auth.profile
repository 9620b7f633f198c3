# CKA_ALWAYS_AUTHENTICATE true (PIV 9C digital-signature slot, qualified
# signature keys): a context-specific login after every C_SignInit.
DESCRIPTION="RSA-2048, all mechanisms, key CKA_ALWAYS_AUTHENTICATE = true (PIV 9C signature slot; PIN per signature)"
EXPECTED_VERDICT=compatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
KEY_ALWAYS_AUTH=true
