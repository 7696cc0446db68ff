using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Model;
using RigNotebooks.Processes;
using RigNotebooks.Results;

// Usage: RigNotebooks.WatchdogDouble <mode> worker   (the job is the first line of stdin, like `rig worker`, and the
// double dies when stdin ends, like `rig worker`: the same ParentLifeline)
//   hang-on-peer   answers host cases, then on the first peer case with P2P on writes one row and sleeps forever
//   crash-on-peer  the same, but exits with code 139 and a message on stderr instead of sleeping
//   env            answers every case with a row whose note is its NCCL_P2P_DISABLE value
//   silent-exit    exits with code 1 before saying anything
//   no-start       says nothing and sleeps (never becomes ready)
var mode = args.Length > 0 ? args[0] : "env";
var job = WorkerJob.Parse(ParentLifeline.ReadFirstLineThenWatch(Console.In) ?? string.Empty);

void Emit(WorkerMessage message)
{
    Console.Out.WriteLine(message.ToLine());
    Console.Out.Flush();
}

ResultRow Row(WorkItem item, string? note = null) =>
    ResultRow.Ok("bandwidth", item.Case, item.Gpu, item.Peer, "bandwidth", 1.0, "GB/s", DataSource.Measured,
        item.P2P is { } p2p ? new Dictionary<string, string> { ["p2p"] = p2p ? "on" : "off" } : null) with { Note = note };

switch (mode)
{
    case "silent-exit":
        return 1;
    case "no-start":
        Thread.Sleep(Timeout.Infinite);
        return 0;
}

Console.Out.WriteLine("noise a driver might print on stdout");
Emit(WorkerMessage.Ready());
for (var i = 0; i < job.Items.Count; i++)
{
    var item = job.Items[i];
    Emit(WorkerMessage.Start(i));
    var peer = item.Case.StartsWith("peer_", StringComparison.Ordinal) && item.P2P == true;
    if (peer && mode is "hang-on-peer" or "crash-on-peer")
    {
        Emit(WorkerMessage.Of(Row(item, "measured before the hang")));
        if (mode == "crash-on-peer")
        {
            Console.Error.WriteLine("Segmentation fault (double)");
            return 139;
        }

        Thread.Sleep(Timeout.Infinite);
    }

    Emit(WorkerMessage.Of(Row(item, Environment.GetEnvironmentVariable("NCCL_P2P_DISABLE") ?? "<unset>")));
    Emit(WorkerMessage.End(i));
}

Emit(WorkerMessage.Done());
return 0;
