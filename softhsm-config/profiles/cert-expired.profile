# Good key, certificate notAfter in the past.
DESCRIPTION="RSA-2048, all mechanisms, certificate expired (valid 2015-01-01 to 2016-01-01)"
EXPECTED_VERDICT=incompatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
CERT_NOT_BEFORE="2015-01-01"
CERT_NOT_AFTER="2016-01-01"
