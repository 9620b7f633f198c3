# The certificate under CKA_ID 01 was issued for a DIFFERENT key (re-keyed card
# whose certificate was not replaced). Same CKA_ID is a convention, not proof.
DESCRIPTION="RSA-2048, all mechanisms, certificate (same CKA_ID) issued for a different RSA-2048 key"
EXPECTED_VERDICT=incompatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
CERT_KEY=other
