# Full-featured RSA card or HSM: every SoftHSM mechanism, including bare
# CKM_RSA_PKCS_PSS (YubiKey PIV through ykcs11, OpenSC >= 0.20 PIV, network HSMs).
DESCRIPTION="RSA-2048, all mechanisms incl. CKM_RSA_PKCS_PSS (YubiKey PIV via ykcs11, modern HSM)"
EXPECTED_VERDICT=compatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
