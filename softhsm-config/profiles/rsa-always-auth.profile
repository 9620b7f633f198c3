# CKA_ALWAYS_AUTHENTICATE true (PIV 9C digital-signature slot, qualified
# signature keys): a context-specific login after every C_SignInit.
DESCRIPTION="RSA-2048, all mechanisms, key CKA_ALWAYS_AUTHENTICATE = true (PIV 9C signature slot; PIN per signature)"
EXPECTED_VERDICT=compatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
KEY_ALWAYS_AUTH=true
# Without the PIN the private key and this attribute of it are hidden: the key is judged from its
# certificate and public key, unconfirmed, and says it could not see CKA_ALWAYS_AUTHENTICATE.
UNCONFIRMED_VERDICT=compatible
UNCONFIRMED_BECAUSE=CKA_ALWAYS_AUTHENTICATE
