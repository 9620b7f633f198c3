/*
 * info-listing-shim: a PKCS#11 module that stands in front of another one and forwards every call to it,
 * except that C_GetMechanismList also lists each mechanism of TOKENSERVICE_SHIM_MECHANISMS for which the
 * real module's C_GetMechanismInfo answers CKR_OK with CKF_SIGN, whether or not the real list has it.
 *
 * Why: SoftHSM 2.6.1 drops the mechanisms that `slots.mechanisms` removes from C_GetMechanismList and
 * refuses them in C_SignInit (CKR_MECHANISM_INVALID), but C_GetMechanismInfo still answers for them with
 * CKF_SIGN (docs/tls-client-auth.md §6, §7). This shim turns that claim into a listed mechanism, as middleware does that
 * builds its list from per-mechanism queries, so the hardware tests can show the self-test catching a token
 * that lists what it will not sign. It invents nothing: every extra entry is SoftHSM's own claim.
 *
 * Environment (read once, in C_GetFunctionList):
 *   TOKENSERVICE_SHIM_MODULE      the real module (required)
 *   TOKENSERVICE_SHIM_MECHANISMS  comma-separated CKM values in hex, e.g. "0xd" for CKM_RSA_PKCS_PSS
 *
 * Build: cc -shared -fPIC -O2 -Wall -Werror -o libinfo-listing-shim.so info-listing-shim.c -ldl
 * Self-contained on purpose (no pkcs11.h needed): the few types below follow pkcs11t.h and pkcs11f.h.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long CK_ULONG;
typedef CK_ULONG CK_RV;
typedef CK_ULONG CK_SLOT_ID;
typedef CK_ULONG CK_MECHANISM_TYPE;
typedef struct { unsigned char major, minor; } CK_VERSION;
typedef struct { CK_ULONG ulMinKeySize, ulMaxKeySize, flags; } CK_MECHANISM_INFO;

/* CK_FUNCTION_LIST of PKCS#11 v2.40: the version, then 68 function pointers in pkcs11f.h order. */
typedef struct { CK_VERSION version; void *functions[68]; } FunctionList;
enum { FnGetFunctionList = 3, FnGetMechanismList = 7, FnGetMechanismInfo = 8 };

typedef CK_RV (*GetFunctionListFn)(FunctionList **);
typedef CK_RV (*GetMechanismListFn)(CK_SLOT_ID, CK_MECHANISM_TYPE *, CK_ULONG *);
typedef CK_RV (*GetMechanismInfoFn)(CK_SLOT_ID, CK_MECHANISM_TYPE, CK_MECHANISM_INFO *);

#define CKR_OK 0x0UL
#define CKR_HOST_MEMORY 0x2UL
#define CKR_GENERAL_ERROR 0x5UL
#define CKR_ARGUMENTS_BAD 0x7UL
#define CKR_BUFFER_TOO_SMALL 0x150UL
#define CKF_SIGN 0x800UL

static FunctionList shim;
static FunctionList *real;
static CK_MECHANISM_TYPE claimed[16];
static size_t claimed_count;

static CK_RV GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE *list, CK_ULONG *count)
{
    GetMechanismListFn real_list = (GetMechanismListFn)real->functions[FnGetMechanismList];
    GetMechanismInfoFn real_info = (GetMechanismInfoFn)real->functions[FnGetMechanismInfo];
    if (count == NULL)
        return CKR_ARGUMENTS_BAD;

    CK_ULONG n = 0;
    CK_RV rv = real_list(slot, NULL, &n);
    if (rv != CKR_OK)
        return rv;
    CK_MECHANISM_TYPE *all = calloc(n + claimed_count + 1, sizeof *all);
    if (all == NULL)
        return CKR_HOST_MEMORY;
    rv = real_list(slot, all, &n);
    if (rv != CKR_OK) {
        free(all);
        return rv;
    }

    for (size_t i = 0; i < claimed_count; i++) {
        int listed = 0;
        for (CK_ULONG j = 0; j < n; j++)
            listed |= all[j] == claimed[i];
        CK_MECHANISM_INFO info;
        if (!listed && real_info(slot, claimed[i], &info) == CKR_OK && (info.flags & CKF_SIGN))
            all[n++] = claimed[i];
    }

    /* PKCS#11 v2.40 §5.5 C_GetMechanismList: NULL asks for the count; too small a buffer says so. */
    rv = CKR_OK;
    if (list != NULL && *count < n)
        rv = CKR_BUFFER_TOO_SMALL;
    else if (list != NULL)
        memcpy(list, all, n * sizeof *all);
    *count = n;
    free(all);
    return rv;
}

static CK_RV GetFunctionList(FunctionList **out)
{
    if (out == NULL)
        return CKR_ARGUMENTS_BAD;
    *out = &shim;
    return CKR_OK;
}

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(FunctionList **out)
{
    if (out == NULL)
        return CKR_ARGUMENTS_BAD;
    if (real == NULL) {
        const char *path = getenv("TOKENSERVICE_SHIM_MODULE");
        void *module = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
        GetFunctionListFn get = module ? (GetFunctionListFn)dlsym(module, "C_GetFunctionList") : NULL;
        FunctionList *found = NULL;
        if (get == NULL || get(&found) != CKR_OK || found == NULL)
            return CKR_GENERAL_ERROR;

        const char *list = getenv("TOKENSERVICE_SHIM_MECHANISMS");
        for (char *end; list && *list && claimed_count < sizeof claimed / sizeof claimed[0]; list = *end ? end + 1 : end) {
            claimed[claimed_count++] = strtoul(list, &end, 16);
            if (end == list)
                break;
        }

        memcpy(&shim, found, sizeof shim);
        shim.functions[FnGetFunctionList] = (void *)GetFunctionList;
        shim.functions[FnGetMechanismList] = (void *)GetMechanismList;
        real = found;
    }
    *out = &shim;
    return CKR_OK;
}
