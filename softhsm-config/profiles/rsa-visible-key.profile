# Many cards show their keys before login: middleware that does not mark the
# private key objects private presents them with CKA_PRIVATE false (only using them needs
# the PIN). Without a PIN TokenService then reads the key's own attributes
# (CKA_SIGN, CKA_ALLOWED_MECHANISMS, CKA_ALWAYS_AUTHENTICATE): a confirmed
# verdict without login.
DESCRIPTION="RSA-2048, all mechanisms, private key CKA_PRIVATE = false (visible with its attributes before login, as many cards present them)"
EXPECTED_VERDICT=compatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
KEY_PRIVATE=false
