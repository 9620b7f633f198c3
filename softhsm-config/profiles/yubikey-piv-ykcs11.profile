# Card family yubikey-piv-ykcs11: YubiKey 4/5 (PIV applet) through Yubico's ykcs11, its authentication key (RSA-2048) as
# ykcs11 (yubico-piv-tool) (libykcs11.so) presents it. Key, mechanisms, token info and
# expected verdict come from the catalog, src/TokenService.Server/SmartCards/families.json;
# the token is used through tools/p11view.so (provision.sh builds it).
FAMILY=yubikey-piv-ykcs11
