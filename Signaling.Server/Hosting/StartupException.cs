namespace Signaling.Server.Hosting;

/// <summary>
/// Why the program does not start, as the lines it prints (without a stack trace) and its exit
/// code: <see cref="UsageError"/> when the command line or configuration names something
/// unknown, <see cref="StartFailure"/> when a known option's value is wrong or the server cannot
/// start with it (address in use, certificate missing).
/// </summary>
public sealed class StartupException(int exitCode, IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public const int StartFailure = 1;
    public const int UsageError = 2;

    public StartupException(int exitCode, string error)
        : this(exitCode, [error])
    {
    }

    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Errors { get; } = errors;
}
