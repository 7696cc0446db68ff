using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Simulation;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>
/// The worker side of the watchdog: runs work items on a rig and reports each start, row and end as it happens.
/// The same code runs in the child process (<c>rig worker</c>, lines on stdout) and in-process for simulated rigs.
/// A failing item becomes a failed row; only a hang or a crash of the process needs the parent to step in.
/// </summary>
public static class WorkerHost
{
    /// <summary>Runs <paramref name="job"/>'s items on an open rig.</summary>
    public static void Run(IRig rig, WorkerJob job, Action<WorkerMessage> emit, CancellationToken cancellationToken)
    {
        emit(WorkerMessage.Ready());
        for (var i = 0; i < job.Items.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = job.Items[i];
            emit(WorkerMessage.Start(i));
            var @case = BandwidthCases.Find(item.Case);
            try
            {
                var whyNot = @case.WhyNot(rig, item);
                if (whyNot is not null)
                {
                    emit(WorkerMessage.Of(@case.NotMeasured(item, job.Settings, RowStatus.Waived, whyNot, rig.Source)));
                }
                else
                {
                    foreach (var row in @case.Run(rig, item, job.Settings, cancellationToken))
                    {
                        emit(WorkerMessage.Of(row));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                emit(WorkerMessage.Of(@case.NotMeasured(item, job.Settings, RowStatus.Failed, $"{ex.GetType().Name}: {ex.Message}", rig.Source)));
            }

            emit(WorkerMessage.End(i));
        }

        emit(WorkerMessage.Done());
    }

    /// <summary>The <c>rig worker</c> process: reads the job from <paramref name="jobJson"/> (null: stdin ended before
    /// the job arrived), opens its rig, and writes protocol lines to <paramref name="stdout"/>, flushing each. Returns
    /// the process exit code.</summary>
    public static int RunProcess(string? jobJson, TextWriter stdout, CancellationToken cancellationToken)
    {
        void Emit(WorkerMessage message)
        {
            stdout.WriteLine(message.ToLine());
            stdout.Flush();
        }

        if (jobJson is null)
        {
            Emit(WorkerMessage.Fatal("stdin ended before the job arrived: the parent is gone"));
            return 2;
        }

        WorkerJob job;
        try
        {
            job = WorkerJob.Parse(jobJson);
        }
        catch (RigInputException ex)
        {
            Emit(WorkerMessage.Fatal(ex.Message));
            return 2;
        }

        IRig rig;
        try
        {
            rig = RigSelector.Open(job.Rig, new RigOpenOptions(ReferenceData.Default, new SimulationOptions(job.Seed, job.NoiseFraction)));
        }
        catch (Exception ex) when (ex is RigInputException or RigEnvironmentException or CapabilityUnavailableException)
        {
            Emit(WorkerMessage.Fatal($"cannot open rig '{job.Rig}': {ex.Message}"));
            return 3;
        }

        using (rig)
        {
            Run(rig, job, Emit, cancellationToken);
        }

        return 0;
    }
}
