using Signaling.Server.Hosting;

// At most one thread-pool worker per core the process may run on (Environment.ProcessorCount
// honours CPU affinity and cgroup limits). Every handler of this server is asynchronous and none
// waits for another work item, so more workers than cores add no throughput; they only take work
// from each other: a worker that picks up an item wakes an idle one "in case there is more", which
// on a lightly loaded core means several context switches per message. Measured with the server
// pinned to one core (bench/run.sh): relay CPU per message 2.16 → 1.72 µs, throughput +25 %;
// at 10,000 paced msgs/s, 5–6 → 1.9 context switches per message. Only lowers the maximum: a
// minimum configured above the core count (System.Threading.ThreadPool.MinThreads) wins.
ThreadPool.GetMaxThreads(out var workers, out var completionPorts);
if (workers > Environment.ProcessorCount)
{
    ThreadPool.SetMaxThreads(Environment.ProcessorCount, completionPorts);
}

return await SignalingApp.RunAsync(args);
