namespace TokenService.Telemetry;

/// <summary>Telemetry settings (section <c>TokenService:Telemetry</c>, e.g. TOKENSERVICE__TELEMETRY__INCLUDESERIALNUMBERS).</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// Put tokens' serial numbers in the per-check log records as they are; by default only their SHA-256 goes
    /// out (the same card gives the same value in every record, but the number itself stays on the machine).
    /// </summary>
    public bool IncludeSerialNumbers { get; set; }
}
