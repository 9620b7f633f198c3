/*
 * p11view: a PKCS#11 module that presents a card family's view of another
 * module's token (SoftHSM2 in the demo profiles).
 *
 * Real middleware does not answer like SoftHSM: OpenSC lists the mechanisms a
 * card driver registers (src/libopensc/card-*.c, sc_card_add_rsa_alg) with the
 * flags framework-pkcs15.c gives them, including CKF_HW on mechanisms it pads
 * in software; vendor modules name the token their own way. SoftHSM's
 * slots.mechanisms whitelist narrows C_GetMechanismList but still answers
 * C_GetMechanismInfo for every mechanism it implements (SoftHSM 2.6.1
 * src/lib/SoftHSM.cpp, C_GetMechanismInfo), so a client that probes a
 * mechanism it was not offered gets a "supported" answer no card would give.
 *
 * This module forwards every call to the target module except:
 *   C_GetInfo           library manufacturer/description from the view
 *   C_GetTokenInfo      token label, manufacturer and model from the view
 *   C_GetMechanismList  exactly the view's mechanisms
 *   C_GetMechanismInfo  the view's key sizes and flags; CKR_MECHANISM_INVALID
 *                       for any mechanism the view does not list
 *   C_SignInit          CKR_MECHANISM_INVALID for a mechanism the view does
 *                       not list with the sign flag (PKCS#11 v2.40 §5.12)
 *
 * The view file: TOKENSERVICE_P11VIEW, else view.conf beside SOFTHSM2_CONF.
 * One "key = value" per line; a line starting with '#' is a comment:
 *   module = /usr/lib/softhsm/libsofthsm2.so
 *   library.manufacturer = OpenSC Project
 *   library.description = OpenSC smartcard framework
 *   token.label = ...            (at most 32 bytes)
 *   token.manufacturer = ...     (at most 32 bytes)
 *   token.model = ...            (at most 16 bytes)
 *   mechanism = CKM_RSA_PKCS 1024 4096 hw,sign,verify,decrypt
 * A view file that cannot be read or understood makes C_GetFunctionList fail
 * (CKR_GENERAL_ERROR) with one line on stderr: a wrong view must never pass
 * for SoftHSM's own.
 *
 * Build: cc -O2 -shared -fPIC -o p11view.so p11view.c -I/usr/include/p11-kit-1 -ldl -lpthread
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

#define MAX_MECHANISMS 64

struct named { const char *name; CK_ULONG value; };

/* The mechanisms card families list for signing and key generation. */
static const struct named MECHANISM_NAMES[] = {
    { "CKM_RSA_PKCS_KEY_PAIR_GEN", CKM_RSA_PKCS_KEY_PAIR_GEN },
    { "CKM_RSA_PKCS", CKM_RSA_PKCS },
    { "CKM_RSA_X_509", CKM_RSA_X_509 },
    { "CKM_SHA1_RSA_PKCS", CKM_SHA1_RSA_PKCS },
    { "CKM_SHA224_RSA_PKCS", CKM_SHA224_RSA_PKCS },
    { "CKM_SHA256_RSA_PKCS", CKM_SHA256_RSA_PKCS },
    { "CKM_SHA384_RSA_PKCS", CKM_SHA384_RSA_PKCS },
    { "CKM_SHA512_RSA_PKCS", CKM_SHA512_RSA_PKCS },
    { "CKM_RSA_PKCS_PSS", CKM_RSA_PKCS_PSS },
    { "CKM_SHA1_RSA_PKCS_PSS", CKM_SHA1_RSA_PKCS_PSS },
    { "CKM_SHA224_RSA_PKCS_PSS", CKM_SHA224_RSA_PKCS_PSS },
    { "CKM_SHA256_RSA_PKCS_PSS", CKM_SHA256_RSA_PKCS_PSS },
    { "CKM_SHA384_RSA_PKCS_PSS", CKM_SHA384_RSA_PKCS_PSS },
    { "CKM_SHA512_RSA_PKCS_PSS", CKM_SHA512_RSA_PKCS_PSS },
    { "CKM_RSA_PKCS_OAEP", CKM_RSA_PKCS_OAEP },
    { "CKM_EC_KEY_PAIR_GEN", CKM_EC_KEY_PAIR_GEN },
    { "CKM_ECDSA", CKM_ECDSA },
    { "CKM_ECDSA_SHA1", CKM_ECDSA_SHA1 },
    { "CKM_ECDSA_SHA224", CKM_ECDSA_SHA224 },
    { "CKM_ECDSA_SHA256", CKM_ECDSA_SHA256 },
    { "CKM_ECDSA_SHA384", CKM_ECDSA_SHA384 },
    { "CKM_ECDSA_SHA512", CKM_ECDSA_SHA512 },
    { "CKM_ECDH1_DERIVE", CKM_ECDH1_DERIVE },
    { "CKM_EDDSA", CKM_EDDSA },
    { "CKM_SHA_1", CKM_SHA_1 },
    { "CKM_SHA256", CKM_SHA256 },
    { "CKM_SHA384", CKM_SHA384 },
    { "CKM_SHA512", CKM_SHA512 },
};

/* Flag names as pkcs11-tool -M prints them. */
static const struct named FLAG_NAMES[] = {
    { "hw", CKF_HW }, { "encrypt", CKF_ENCRYPT }, { "decrypt", CKF_DECRYPT },
    { "digest", CKF_DIGEST }, { "sign", CKF_SIGN }, { "sign_recover", CKF_SIGN_RECOVER },
    { "verify", CKF_VERIFY }, { "verify_recover", CKF_VERIFY_RECOVER },
    { "generate", CKF_GENERATE }, { "generate_key_pair", CKF_GENERATE_KEY_PAIR },
    { "wrap", CKF_WRAP }, { "unwrap", CKF_UNWRAP }, { "derive", CKF_DERIVE },
    { "ec_f_p", CKF_EC_F_P }, { "ec_namedcurve", CKF_EC_NAMEDCURVE },
    { "ec_uncompress", CKF_EC_UNCOMPRESS }, { "ec_compress", CKF_EC_COMPRESS },
};

struct view {
    char module[4096];
    char library_manufacturer[33], library_description[33];
    char token_label[33], token_manufacturer[33], token_model[17];
    CK_MECHANISM_TYPE types[MAX_MECHANISMS];
    CK_MECHANISM_INFO infos[MAX_MECHANISMS];
    CK_ULONG count;
};

static struct view VIEW;
static CK_FUNCTION_LIST_PTR TARGET;
static CK_FUNCTION_LIST OURS;
static CK_RV LOAD_RESULT = CKR_GENERAL_ERROR;
static pthread_once_t LOAD_ONCE = PTHREAD_ONCE_INIT;

static void fail(const char *path, int line, const char *what) {
    if (line > 0) fprintf(stderr, "p11view: %s:%d: %s\n", path, line, what);
    else fprintf(stderr, "p11view: %s: %s\n", path, what);
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = '\0';
    return s;
}

static int lookup(const struct named *table, size_t size, const char *name, CK_ULONG *value) {
    for (size_t i = 0; i < size; i++) {
        if (strcmp(table[i].name, name) == 0) { *value = table[i].value; return 1; }
    }
    return 0;
}

static int copy_text(char *to, size_t size, const char *value) {
    if (strlen(value) >= size) return 0;
    strcpy(to, value);
    return 1;
}

/* "CKM_NAME MIN MAX flag,flag" */
static const char *parse_mechanism(char *value) {
    if (VIEW.count == MAX_MECHANISMS) return "too many mechanisms";
    char *name = strtok(value, " \t");
    char *min = strtok(NULL, " \t");
    char *max = strtok(NULL, " \t");
    char *flags = strtok(NULL, " \t");
    if (!name || !min || !max || !flags || strtok(NULL, " \t")) return "expected: mechanism = NAME MIN MAX FLAG,FLAG";
    CK_ULONG type;
    if (!lookup(MECHANISM_NAMES, sizeof MECHANISM_NAMES / sizeof *MECHANISM_NAMES, name, &type)) return "unknown mechanism name";
    for (CK_ULONG i = 0; i < VIEW.count; i++) if (VIEW.types[i] == type) return "mechanism listed twice";
    char *end;
    errno = 0;
    unsigned long lo = strtoul(min, &end, 10);
    if (errno || *end) return "key size is not a number";
    unsigned long hi = strtoul(max, &end, 10);
    if (errno || *end || hi < lo) return "bad maximum key size";
    CK_FLAGS bits = 0;
    for (char *flag = strtok(flags, ","); flag; flag = strtok(NULL, ",")) {
        CK_ULONG bit;
        if (!lookup(FLAG_NAMES, sizeof FLAG_NAMES / sizeof *FLAG_NAMES, flag, &bit)) return "unknown flag name";
        bits |= bit;
    }
    VIEW.types[VIEW.count] = type;
    VIEW.infos[VIEW.count].ulMinKeySize = lo;
    VIEW.infos[VIEW.count].ulMaxKeySize = hi;
    VIEW.infos[VIEW.count].flags = bits;
    VIEW.count++;
    return NULL;
}

static int read_view(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { fail(path, 0, strerror(errno)); return 0; }
    char buffer[8192];
    int line = 0, ok = 1;
    strcpy(VIEW.module, "/usr/lib/softhsm/libsofthsm2.so");
    while (ok && fgets(buffer, sizeof buffer, f)) {
        line++;
        if (!strchr(buffer, '\n') && !feof(f)) { fail(path, line, "line too long"); ok = 0; break; }
        char *text = trim(buffer);
        if (!*text || *text == '#') continue;
        char *eq = strchr(text, '=');
        if (!eq) { fail(path, line, "expected key = value"); ok = 0; break; }
        *eq = '\0';
        char *key = trim(text), *value = trim(eq + 1);
        const char *problem = NULL;
        if (strcmp(key, "module") == 0) problem = copy_text(VIEW.module, sizeof VIEW.module, value) ? NULL : "path too long";
        else if (strcmp(key, "library.manufacturer") == 0) problem = copy_text(VIEW.library_manufacturer, sizeof VIEW.library_manufacturer, value) ? NULL : "longer than 32 bytes";
        else if (strcmp(key, "library.description") == 0) problem = copy_text(VIEW.library_description, sizeof VIEW.library_description, value) ? NULL : "longer than 32 bytes";
        else if (strcmp(key, "token.label") == 0) problem = copy_text(VIEW.token_label, sizeof VIEW.token_label, value) ? NULL : "longer than 32 bytes";
        else if (strcmp(key, "token.manufacturer") == 0) problem = copy_text(VIEW.token_manufacturer, sizeof VIEW.token_manufacturer, value) ? NULL : "longer than 32 bytes";
        else if (strcmp(key, "token.model") == 0) problem = copy_text(VIEW.token_model, sizeof VIEW.token_model, value) ? NULL : "longer than 16 bytes";
        else if (strcmp(key, "mechanism") == 0) problem = parse_mechanism(value);
        else problem = "unknown key";
        if (problem) { fail(path, line, problem); ok = 0; }
    }
    fclose(f);
    if (ok && VIEW.count == 0) { fail(path, 0, "the view lists no mechanism"); ok = 0; }
    return ok;
}

static const char *view_path(char *buffer, size_t size) {
    const char *given = getenv("TOKENSERVICE_P11VIEW");
    if (given && *given) return given;
    const char *conf = getenv("SOFTHSM2_CONF");
    if (!conf || !*conf) return NULL;
    const char *slash = strrchr(conf, '/');
    size_t dir = slash ? (size_t)(slash - conf) : 0;
    if (dir + sizeof "/view.conf" > size) return NULL;
    if (slash) memcpy(buffer, conf, dir);
    else { buffer[0] = '.'; dir = 1; }
    strcpy(buffer + dir, "/view.conf");
    return buffer;
}

/* Blank-padded, not NUL-terminated: how PKCS#11 v2.40 §3.1 stores these strings. */
static void pad(CK_UTF8CHAR *field, size_t size, const char *value) {
    memset(field, ' ', size);
    memcpy(field, value, strlen(value));
}

static int find(CK_MECHANISM_TYPE type) {
    for (CK_ULONG i = 0; i < VIEW.count; i++) if (VIEW.types[i] == type) return (int)i;
    return -1;
}

static CK_RV view_GetInfo(CK_INFO_PTR info) {
    CK_RV rv = TARGET->C_GetInfo(info);
    if (rv != CKR_OK) return rv;
    if (VIEW.library_manufacturer[0]) pad(info->manufacturerID, sizeof info->manufacturerID, VIEW.library_manufacturer);
    if (VIEW.library_description[0]) pad(info->libraryDescription, sizeof info->libraryDescription, VIEW.library_description);
    return CKR_OK;
}

static CK_RV view_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
    CK_RV rv = TARGET->C_GetTokenInfo(slot, info);
    /* Only the family's token: SoftHSM's spare uninitialised slot keeps its own (empty) info. */
    if (rv != CKR_OK || !(info->flags & CKF_TOKEN_INITIALIZED)) return rv;
    if (VIEW.token_label[0]) pad(info->label, sizeof info->label, VIEW.token_label);
    if (VIEW.token_manufacturer[0]) pad(info->manufacturerID, sizeof info->manufacturerID, VIEW.token_manufacturer);
    if (VIEW.token_model[0]) pad(info->model, sizeof info->model, VIEW.token_model);
    return CKR_OK;
}

static CK_RV view_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count) {
    if (!count) return CKR_ARGUMENTS_BAD;
    CK_ULONG theirs = 0;
    CK_RV rv = TARGET->C_GetMechanismList(slot, NULL, &theirs);   /* slot and token checks stay the target's */
    if (rv != CKR_OK) return rv;
    if (!list) { *count = VIEW.count; return CKR_OK; }
    if (*count < VIEW.count) { *count = VIEW.count; return CKR_BUFFER_TOO_SMALL; }
    memcpy(list, VIEW.types, VIEW.count * sizeof *list);
    *count = VIEW.count;
    return CKR_OK;
}

static CK_RV view_GetMechanismInfo(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info) {
    if (!info) return CKR_ARGUMENTS_BAD;
    CK_ULONG theirs = 0;
    CK_RV rv = TARGET->C_GetMechanismList(slot, NULL, &theirs);
    if (rv != CKR_OK) return rv;
    int i = find(type);
    if (i < 0) return CKR_MECHANISM_INVALID;
    *info = VIEW.infos[i];
    return CKR_OK;
}

static CK_RV view_SignInit(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key) {
    if (mechanism) {
        int i = find(mechanism->mechanism);
        if (i < 0 || !(VIEW.infos[i].flags & CKF_SIGN)) return CKR_MECHANISM_INVALID;
    }
    return TARGET->C_SignInit(session, mechanism, key);
}

static void load(void) {
    char buffer[4096];
    const char *path = view_path(buffer, sizeof buffer);
    if (!path) { fail("p11view", 0, "set TOKENSERVICE_P11VIEW, or SOFTHSM2_CONF with a view.conf beside it"); return; }
    if (!read_view(path)) return;
    void *library = dlopen(VIEW.module, RTLD_NOW | RTLD_LOCAL);
    if (!library) { fail(path, 0, dlerror()); return; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(library, "C_GetFunctionList");
    if (!get || get(&TARGET) != CKR_OK || !TARGET) { fail(VIEW.module, 0, "no C_GetFunctionList"); return; }
    OURS = *TARGET;
    OURS.version.major = 2;
    OURS.version.minor = 40;
    OURS.C_GetInfo = view_GetInfo;
    OURS.C_GetTokenInfo = view_GetTokenInfo;
    OURS.C_GetMechanismList = view_GetMechanismList;
    OURS.C_GetMechanismInfo = view_GetMechanismInfo;
    OURS.C_SignInit = view_SignInit;
    LOAD_RESULT = CKR_OK;
}

/* Our own C_GetFunctionList, so callers that find entry points through the list see the view. */
static CK_RV view_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
    if (!list) return CKR_ARGUMENTS_BAD;
    pthread_once(&LOAD_ONCE, load);
    if (LOAD_RESULT != CKR_OK) return LOAD_RESULT;
    OURS.C_GetFunctionList = view_GetFunctionList;
    *list = &OURS;
    return CKR_OK;
}

static CK_RV view_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) { return C_GetFunctionList(list); }
