# Card family smartcard-hsm: SmartCard-HSM / Nitrokey HSM 2 through OpenSC, its authentication key (RSA-2048) as
# OpenSC (opensc-pkcs11.so) presents it. Key, mechanisms, token info and
# expected verdict come from the catalog, src/TokenService.Server/SmartCards/families.json;
# the token is used through tools/p11view.so (provision.sh builds it).
FAMILY=smartcard-hsm
