# Good key, but the certificate's keyUsage is keyEncipherment only (an
# encryption certificate picked by mistake). RFC 5280 §4.2.1.3.
DESCRIPTION="RSA-2048, all mechanisms, certificate keyUsage = keyEncipherment only"
EXPECTED_VERDICT=incompatible
MECHANISMS=""
KEY_TYPE="rsa:2048"
CERT_KEY_USAGE="critical,keyEncipherment"
