/*
 * p11probe: what a SoftHSM2 token REALLY allows, mechanism by mechanism.
 *
 * For the first private key on the token labelled LABEL it prints, per
 * signature mechanism TLS stacks care about: whether C_GetMechanismList lists
 * it, what C_GetMechanismInfo answers, and what C_SignInit (+ C_Sign) returns
 * for that key; plus the key's CKA_ALLOWED_MECHANISMS, CKA_SIGN and
 * CKA_ALWAYS_AUTHENTICATE as read back with C_GetAttributeValue.
 *
 * Build:  gcc -O2 -o p11probe p11probe.c -I/usr/include/p11-kit-1 -ldl
 *         (headers from the Debian package libp11-kit-dev)
 * Run:    SOFTHSM2_CONF=DIR/NAME/softhsm2.conf ./p11probe NAME DIR/pin [MODULE]
 * The PIN is read from the file, never taken from the command line.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

struct mech { CK_MECHANISM_TYPE type; const char *name; CK_ULONG input_len; };

static const struct mech MECHS[] = {
    { CKM_RSA_PKCS, "CKM_RSA_PKCS", 51 },               /* DigestInfo(SHA-256) */
    { CKM_RSA_PKCS_PSS, "CKM_RSA_PKCS_PSS", 32 },       /* SHA-256 digest */
    { CKM_RSA_X_509, "CKM_RSA_X_509", 0 },              /* modulus-sized block */
    { CKM_SHA256_RSA_PKCS, "CKM_SHA256_RSA_PKCS", 32 },
    { CKM_SHA256_RSA_PKCS_PSS, "CKM_SHA256_RSA_PKCS_PSS", 32 },
    { CKM_ECDSA, "CKM_ECDSA", 32 },
    { CKM_EDDSA, "CKM_EDDSA", 32 },
};

static int read_pin(const char *path, char *pin, size_t size) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(pin, 1, size - 1, f);
    fclose(f);
    while (n > 0 && (pin[n - 1] == '\n' || pin[n - 1] == '\r')) n--;
    pin[n] = '\0';
    return 0;
}

static int get_bool(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE t) {
    CK_BBOOL v = CK_FALSE;
    CK_ATTRIBUTE a = { t, &v, sizeof v };
    return f->C_GetAttributeValue(s, o, &a, 1) == CKR_OK ? (int)v : -1;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s TOKEN_LABEL PIN_FILE [MODULE]\n", argv[0]);
        return 2;
    }
    const char *label = argv[1];
    const char *module = argc > 3 ? argv[3] : "/usr/lib/softhsm/libsofthsm2.so";
    char pin[256];
    if (read_pin(argv[2], pin, sizeof pin)) { perror(argv[2]); return 2; }

    void *lib = dlopen(module, RTLD_NOW);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    CK_C_GetFunctionList get_list = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    CK_FUNCTION_LIST *f = NULL;
    if (!get_list || get_list(&f) != CKR_OK || f->C_Initialize(NULL) != CKR_OK) {
        fprintf(stderr, "cannot initialize %s\n", module);
        return 1;
    }

    /* Slot IDs change after token init: find the token by label (space padded). */
    CK_SLOT_ID slots[64], slot = (CK_SLOT_ID)-1;
    CK_ULONG nslots = 64;
    f->C_GetSlotList(CK_TRUE, slots, &nslots);
    for (CK_ULONG i = 0; i < nslots; i++) {
        CK_TOKEN_INFO ti;
        size_t len = strlen(label);
        if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && len <= 32
            && !memcmp(ti.label, label, len) && (len == 32 || ti.label[len] == ' '))
            slot = slots[i];
    }
    if (slot == (CK_SLOT_ID)-1) { fprintf(stderr, "no token labelled %s\n", label); return 1; }

    CK_MECHANISM_TYPE listed[512];
    CK_ULONG nlisted = 512;
    f->C_GetMechanismList(slot, listed, &nlisted);

    CK_SESSION_HANDLE s;
    f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
    CK_RV rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin));
    memset(pin, 0, sizeof pin);
    printf("C_Login(CKU_USER) rv=0x%lx\n", rv);

    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = { { CKA_CLASS, &cls, sizeof cls } };
    CK_OBJECT_HANDLE key;
    CK_ULONG count = 0;
    f->C_FindObjectsInit(s, tmpl, 1);
    f->C_FindObjects(s, &key, 1, &count);
    f->C_FindObjectsFinal(s);
    if (count != 1) { fprintf(stderr, "no private key\n"); return 1; }

    printf("CKA_SIGN=%d CKA_ALWAYS_AUTHENTICATE=%d\n",
           get_bool(f, s, key, CKA_SIGN), get_bool(f, s, key, CKA_ALWAYS_AUTHENTICATE));
    CK_ATTRIBUTE am = { CKA_ALLOWED_MECHANISMS, NULL, 0 };
    rv = f->C_GetAttributeValue(s, key, &am, 1);
    printf("CKA_ALLOWED_MECHANISMS rv=0x%lx length=%ld values:", rv, (long)am.ulValueLen);
    if (rv == CKR_OK && am.ulValueLen > 0 && am.ulValueLen != (CK_ULONG)-1) {
        CK_MECHANISM_TYPE *v = malloc(am.ulValueLen);
        am.pValue = v;
        if (f->C_GetAttributeValue(s, key, &am, 1) == CKR_OK)
            for (CK_ULONG i = 0; i < am.ulValueLen / sizeof *v; i++) printf(" 0x%lx", v[i]);
        free(v);
    }
    printf("\n");

    for (size_t i = 0; i < sizeof MECHS / sizeof MECHS[0]; i++) {
        int is_listed = 0;
        for (CK_ULONG j = 0; j < nlisted; j++) is_listed |= listed[j] == MECHS[i].type;
        CK_MECHANISM_INFO info;
        CK_RV info_rv = f->C_GetMechanismInfo(slot, MECHS[i].type, &info);
        CK_RSA_PKCS_PSS_PARAMS pss = { CKM_SHA256, CKG_MGF1_SHA256, 32 };
        CK_MECHANISM m = { MECHS[i].type, NULL, 0 };
        if (MECHS[i].type == CKM_RSA_PKCS_PSS || MECHS[i].type == CKM_SHA256_RSA_PKCS_PSS) {
            m.pParameter = &pss;
            m.ulParameterLen = sizeof pss;
        }
        CK_RV init_rv = f->C_SignInit(s, &m, key), sign_rv = (CK_RV)-1;
        if (init_rv == CKR_OK) {
            CK_BYTE in[512] = { 0 }, sig[1024];
            CK_ULONG in_len = MECHS[i].input_len ? MECHS[i].input_len : 0, sig_len = sizeof sig;
            if (!in_len) { /* raw RSA: as many bytes as the modulus, first byte 0 */
                CK_BYTE mod[1024];
                CK_ATTRIBUTE ma = { CKA_MODULUS, mod, sizeof mod };
                in_len = f->C_GetAttributeValue(s, key, &ma, 1) == CKR_OK ? ma.ulValueLen : 256;
            }
            sign_rv = f->C_Sign(s, in, in_len, sig, &sig_len);
            if (sign_rv == CKR_USER_NOT_LOGGED_IN) /* CKA_ALWAYS_AUTHENTICATE: no context login done */
                f->C_SignFinal(s, sig, &sig_len);
        }
        printf("%-24s listed=%d C_GetMechanismInfo=0x%lx flags=0x%lx C_SignInit=0x%lx",
               MECHS[i].name, is_listed, info_rv, info_rv == CKR_OK ? info.flags : 0, init_rv);
        if (init_rv == CKR_OK) printf(" C_Sign=0x%lx", sign_rv);
        printf("\n");
    }
    f->C_Finalize(NULL);
    return 0;
}
