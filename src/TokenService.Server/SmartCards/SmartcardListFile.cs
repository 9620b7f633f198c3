namespace TokenService.SmartCards;

/// <summary>
/// Reads pcsc-tools' database at run time (Debian package pcsc-tools; never copied into this repository). A
/// missing or unreadable file is a warning: cards are then named by their catalog family only.
/// </summary>
internal static class SmartcardListFile
{
    public const string DefaultPath = "/usr/share/pcsc/smartcard_list.txt";

    public sealed record Loaded(SmartcardList? List, string? Warning);

    public static Loaded Load(string path = DefaultPath)
    {
        try
        {
            using var reader = new StreamReader(path);
            return new Loaded(SmartcardList.Parse(reader), null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Loaded(null, $"{path} not found (install pcsc-tools): cards are not named from the ATR database");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Loaded(null, $"{path} could not be read ({e.Message}): cards are not named from the ATR database");
        }
    }
}
