using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo;

/// <summary>
/// Each client generation once, over a transport mode that rotates with the version: for
/// behaviour that depends on the protocol generation but not on the transport, a quarter of
/// <see cref="ClientMatrix.All"/> that still has every generation and every transport.
/// </summary>
internal static class VersionRotation
{
    public static IEnumerable<TestCaseData> Each =>
        from version in Enum.GetValues<ClientVersion>()
        let transport = Enum.GetValues<TransportMode>()[(int)version % Enum.GetValues<TransportMode>().Length]
        select new TestCaseData(version, transport).SetArgDisplayNames($"{(int)version}.x", transport.ToString());
}
