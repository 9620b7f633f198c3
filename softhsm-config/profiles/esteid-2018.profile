# Card family esteid-2018: Estonian ID card 2018 (IDEMIA) through OpenSC, its authentication key (EC secp384r1) as
# OpenSC (opensc-pkcs11.so) presents it. Key, mechanisms, token info and
# expected verdict come from the catalog, src/TokenService.Server/SmartCards/families.json;
# the token is used through tools/p11view.so (provision.sh builds it).
FAMILY=esteid-2018
