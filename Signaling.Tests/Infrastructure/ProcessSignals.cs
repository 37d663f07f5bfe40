using System.Runtime.InteropServices;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// POSIX signals to a process by its id: .NET's Process.Kill only sends SIGKILL, and a graceful stop
/// (a node leaving the cluster at once, redis-server shutting down) needs SIGTERM.
/// </summary>
public static class ProcessSignals
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    public static void Terminate(int pid) => Send(pid, SigTerm);

    public static void Kill(int pid) => Send(pid, SigKill);

    private static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            const int NoSuchProcess = 3;
            if (errno != NoSuchProcess)
            {
                throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {errno}");
            }
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, this call needs none.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
