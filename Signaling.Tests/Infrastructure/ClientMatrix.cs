namespace Signaling.Tests.Infrastructure;

/// <summary>
/// Test case sources over the official clients: <c>[TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]</c>
/// on a test taking <c>(ClientVersion version, TransportMode transport)</c>.
/// </summary>
public static class ClientMatrix
{
    public static IEnumerable<TestCaseData> All => Cases(Enum.GetValues<ClientVersion>());

    /// <summary>The clients that send a handshake auth payload (3.x, 4.x).</summary>
    public static IEnumerable<TestCaseData> WithAuth => Cases(Enum.GetValues<ClientVersion>().Where(v => v.SupportsAuth()));

    /// <summary>The clients that cannot send auth (1.x, 2.x).</summary>
    public static IEnumerable<TestCaseData> WithoutAuth => Cases(Enum.GetValues<ClientVersion>().Where(v => !v.SupportsAuth()));

    private static IEnumerable<TestCaseData> Cases(IEnumerable<ClientVersion> versions) =>
        from version in versions
        from transport in Enum.GetValues<TransportMode>()
        select new TestCaseData(version, transport).SetArgDisplayNames($"{(int)version}.x", transport.ToString());
}
