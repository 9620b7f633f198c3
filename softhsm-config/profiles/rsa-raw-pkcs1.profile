# Raw RSA plus PKCS#1, no PSS mechanism (PIV card under older middleware).
# TLS 1.3 works only where the client pads PSS itself (OpenSSL + libp11, Chrome
# on macOS); Chrome on Linux, Firefox and GnuTLS do not try.
DESCRIPTION="RSA-2048, CKM_RSA_X_509 + CKM_RSA_PKCS, no PSS mechanism (PIV under older middleware)"
EXPECTED_VERDICT=client-dependent
EXPECTED_CHROME_WINDOWS=compatible
MECHANISMS="CKM_RSA_PKCS_KEY_PAIR_GEN,CKM_RSA_X_509,CKM_RSA_PKCS"
KEY_TYPE="rsa:2048"
