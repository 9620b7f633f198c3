using TokenService.Tests.Hardware.Infrastructure;
using Xunit;

namespace TokenService.Tests.Hardware.Probing;

/// <summary>
/// A PKCS#11 module that misbehaves on purpose, compiled by the test with `cc -shared -fPIC`. At C_Initialize
/// it reads one word from the file named by BROKEN_PKCS11_MODE_FILE: `hang-initialize` or `abort-initialize`
/// misbehave right there, `hang-slots` or `abort-slots` in C_GetSlotList, anything else is a working module
/// with no slots. C_GetInfo answers; every other function returns CKR_FUNCTION_NOT_SUPPORTED.
/// </summary>
public sealed class BrokenModuleFixture : IAsyncLifetime
{
    public const string ModeVariable = "BROKEN_PKCS11_MODE_FILE";

    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>

        typedef unsigned long CK_ULONG;
        typedef CK_ULONG CK_RV;
        typedef struct { unsigned char major, minor; } CK_VERSION;
        typedef struct {
            CK_VERSION cryptokiVersion;
            unsigned char manufacturerID[32];
            CK_ULONG flags;
            unsigned char libraryDescription[32];
            CK_VERSION libraryVersion;
        } CK_INFO;
        typedef CK_RV (*CK_FUNCTION)(void);
        /* PKCS#11 v2.40 CK_FUNCTION_LIST: the version, then the 68 functions in the order of pkcs11f.h. */
        typedef struct { CK_VERSION version; CK_FUNCTION functions[68]; } CK_FUNCTION_LIST;

        #define CKR_OK 0UL
        #define CKR_FUNCTION_NOT_SUPPORTED 0x54UL

        static char mode[32];

        static void read_mode(void) {
            const char *path = getenv("BROKEN_PKCS11_MODE_FILE");
            FILE *file = path ? fopen(path, "r") : NULL;
            mode[0] = 0;
            if (file) {
                if (fgets(mode, sizeof mode, file)) mode[strcspn(mode, "\r\n")] = 0;
                fclose(file);
            }
        }

        static void misbehave(const char *where) {
            char hang[48], crash[48];
            snprintf(hang, sizeof hang, "hang-%s", where);
            snprintf(crash, sizeof crash, "abort-%s", where);
            if (strcmp(mode, hang) == 0) for (;;) pause();
            if (strcmp(mode, crash) == 0) abort();
        }

        static CK_RV not_supported(void) { return CKR_FUNCTION_NOT_SUPPORTED; }

        static CK_RV initialize(void *args) { (void)args; read_mode(); misbehave("initialize"); return CKR_OK; }

        static CK_RV finalize(void *reserved) { (void)reserved; return CKR_OK; }

        static CK_RV get_info(CK_INFO *info) {
            memset(info, ' ', sizeof *info);
            info->cryptokiVersion.major = 2; info->cryptokiVersion.minor = 40;
            info->flags = 0;
            memcpy(info->manufacturerID, "TokenService tests", 18);
            memcpy(info->libraryDescription, "broken on purpose", 17);
            info->libraryVersion.major = 1; info->libraryVersion.minor = 0;
            return CKR_OK;
        }

        static CK_RV get_slot_list(unsigned char token_present, CK_ULONG *slots, CK_ULONG *count) {
            (void)token_present; (void)slots;
            misbehave("slots");
            *count = 0;
            return CKR_OK;
        }

        static CK_FUNCTION_LIST list;

        CK_RV C_GetFunctionList(CK_FUNCTION_LIST **out) {
            list.version.major = 2; list.version.minor = 40;
            for (int i = 0; i < 68; i++) list.functions[i] = not_supported;
            list.functions[0] = (CK_FUNCTION)initialize;
            list.functions[1] = (CK_FUNCTION)finalize;
            list.functions[2] = (CK_FUNCTION)get_info;
            list.functions[3] = (CK_FUNCTION)C_GetFunctionList;
            list.functions[4] = (CK_FUNCTION)get_slot_list;
            *out = &list;
            return CKR_OK;
        }
        """;

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("tokenservice-broken-module-");

    public string ModulePath => Path.Combine(directory.FullName, "libbroken-pkcs11.so");

    /// <summary>The file the module reads its misbehaviour from, at each C_Initialize (so each new probe host).</summary>
    public string ModeFile => Path.Combine(directory.FullName, "mode");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { [ModeVariable] = ModeFile };

    public void SetMode(string mode) => File.WriteAllText(ModeFile, mode + "\n");

    public async Task InitializeAsync()
    {
        Repo.Require("cc", "gcc");
        var source = Path.Combine(directory.FullName, "broken.c");
        await File.WriteAllTextAsync(source, Source);
        var result = await ChildProcess.RunAsync("cc", ["-shared", "-fPIC", "-O1", "-o", ModulePath, source], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"cc failed ({result.ExitCode}): {result.Stderr}");
        SetMode("ok");
    }

    public Task DisposeAsync()
    {
        directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
