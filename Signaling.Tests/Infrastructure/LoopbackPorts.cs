using System.Net;
using System.Net.Sockets;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// Ports for services that cannot listen on port 0 and say which port they got (nginx, HAProxy,
/// coturn): one the OS has just handed out and released. Another process could take it before the
/// service binds it; the service then fails to start with its own message, which the test shows.
/// </summary>
public static class LoopbackPorts
{
    /// <summary>A loopback port free for TCP and, when <paramref name="udpToo"/>, for UDP as well.</summary>
    public static int Free(bool udpToo = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            if (!udpToo)
            {
                return port;
            }
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // That port is taken for UDP: ask for another.
            }
        }
    }
}
