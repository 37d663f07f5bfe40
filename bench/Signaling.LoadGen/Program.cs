using System.Globalization;
using Signaling.LoadGen;

// The benchmark's load generator. One scenario per run against one server; the result is printed
// and appended as a JSON line to --out. `report` puts two such files side by side in Markdown.
const string UsageText = """
    usage: Signaling.LoadGen <scenario> --url http://127.0.0.1:PORT [--server-pid PID] [--out results.jsonl]
                             [--limit SECONDS] [--skip-reason TEXT] [--source-addresses N] [scenario options]
      a cluster: --url URL1,URL2 --server-pid PID1,PID2 [--redis-pid PID]; connection i goes to node i mod N
                 (each pair across two nodes; relay's pairs go online first), server CPU is the nodes' sum
      relay        --pairs 20 --window 32 --payload 200 --warmup 20 --duration 10 --drain 5
      latency      --pairs 50 --rate 10000 --payload 200 --warmup 20 --duration 10 --drain 5 [--slow-reader-rate R]
      connections  --count 10000|max --concurrency 64 --hold 30 --warmup-connections 200 --warmup-pings 1
      presence     --count 200 --timeout 120
           Signaling.LoadGen report --reference ref.jsonl --ours ours.jsonl
    --source-addresses N: connect from 127.0.0.1 .. 127.0.0.N in turn (past the ~28,000 ports of one address)
    exit code: 0 all checks held, 1 a check failed or the scenario broke, 2 bad command line
    """;

try
{
    var options = new CommandLine(args);
    if (options.Command == "report")
    {
        var reference = MarkdownReport.Load(options.String("reference"));
        var ours = MarkdownReport.Load(options.String("ours"));
        options.EnsureAllRead();
        Console.Write(MarkdownReport.Render(reference, ours));
        return 0;
    }

    // A cluster: several nodes' URLs and process ids, comma-separated.
    var urls = (options.String("url") ?? throw new ArgumentException("--url is required")).Split(',').Select(text => new Uri(text)).ToArray();
    var pids = options.String("server-pid")?.Split(',').Select(text => int.Parse(text, CultureInfo.InvariantCulture)).ToArray() ?? [];
    var redisPid = options.String("redis-pid") is { } redisText ? int.Parse(redisText, CultureInfo.InvariantCulture) : (int?)null;
    var output = options.String("out");
    var skipReason = options.String("skip-reason");
    var limit = TimeSpan.FromSeconds(options.Double("limit", 900));
    var connector = new Connector(urls, options.Int("source-addresses", 1));
    var server = new ServerProbe(pids, redisPid);
    IScenario scenario = options.Command switch
    {
        "relay" => new RelayScenario(connector, server, options),
        "latency" => new LatencyScenario(connector, server, options),
        "connections" => new ConnectionsScenario(connector, server, options),
        "presence" => new PresenceScenario(connector, server, options),
        _ => throw new ArgumentException($"unknown scenario '{options.Command}'"),
    };
    options.EnsureAllRead();

    var result = await RunAsync(scenario, skipReason, limit);
    Console.WriteLine($"{result.Scenario} ({result.Variant}) against {string.Join(", ", urls.Select(url => url.ToString()))}: {(result.Ok ? "ok" : "FAILED")}");
    foreach (var metric in result.Metrics)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {metric.Name,-36} {metric.Value,14:0.###} {metric.Unit}"));
    }

    foreach (var failure in result.Failures)
    {
        Console.WriteLine($"  FAILED: {failure}");
    }

    if (output is not null)
    {
        await File.AppendAllTextAsync(output, MarkdownReport.ToJsonLine(result) + "\n");
    }

    return result.Ok ? 0 : 1;
}
catch (Exception exception) when (exception is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(UsageText);
    return 2;
}

// A scenario that throws still yields a result, so the report shows the failure in its row.
static async Task<ScenarioResult> RunAsync(IScenario scenario, string? skipReason, TimeSpan limit)
{
    if (skipReason is not null)
    {
        var skipped = new ScenarioResult(scenario.Name, scenario.Variant);
        skipped.Failures.Add(skipReason);
        return skipped;
    }

    using var cancellation = new CancellationTokenSource(limit);
    Console.CancelKeyPress += (_, press) =>
    {
        press.Cancel = true;
        cancellation.Cancel();
    };
    try
    {
        return await scenario.RunAsync(cancellation.Token);
    }
    catch (Exception exception)
    {
        var failed = new ScenarioResult(scenario.Name, scenario.Variant);
        failed.Failures.Add(cancellation.IsCancellationRequested
            ? $"stopped after the {limit.TotalSeconds:0} s limit"
            : $"error: {exception.GetBaseException().Message}");
        return failed;
    }
}
