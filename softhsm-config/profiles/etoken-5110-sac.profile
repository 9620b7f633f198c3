# Card family etoken-5110-sac: SafeNet eToken 5110 / 5110+ through SafeNet Authentication Client, its authentication key (RSA-2048) as
# SafeNet Authentication Client (libeTPkcs11.so) presents it. Key, mechanisms, token info and
# expected verdict come from the catalog, src/TokenService.Server/SmartCards/families.json;
# the token is used through tools/p11view.so (provision.sh builds it).
FAMILY=etoken-5110-sac
