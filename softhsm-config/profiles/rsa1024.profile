# Legacy 1024-bit RSA key with every mechanism (old eID and corporate cards).
# Debian's OpenSSL (security level 2) refuses RSA < 2048 bits on both sides.
DESCRIPTION="RSA-1024, all mechanisms (legacy eID / corporate card)"
EXPECTED_VERDICT=incompatible
MECHANISMS=""
KEY_TYPE="rsa:1024"
