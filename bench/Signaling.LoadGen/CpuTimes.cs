namespace Signaling.LoadGen;

/// <summary>
/// CPU time of a process split into user and kernel time. Over loopback TCP the kernel part is
/// large for both ends (a send runs the receiving side's TCP path too), so it is shown apart.
/// </summary>
public readonly record struct CpuTimes(TimeSpan User, TimeSpan Kernel)
{
    public TimeSpan Total => User + Kernel;

    public static CpuTimes operator -(CpuTimes end, CpuTimes start) => new(end.User - start.User, end.Kernel - start.Kernel);

    public static CpuTimes operator +(CpuTimes left, CpuTimes right) => new(left.User + right.User, left.Kernel + right.Kernel);
}
