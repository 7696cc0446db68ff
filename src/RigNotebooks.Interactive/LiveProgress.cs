using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using RigNotebooks.Plots;
using Html = RigNotebooks.Plots.Html;

namespace RigNotebooks.Interactive;

/// <summary>A live-updating progress display for long experiments in a notebook: one output that is updated in place
/// (at most every <see cref="MinInterval"/>), and a <see cref="Token"/> that is cancelled when the user stops the cell
/// (the host cancels the kernel command) or calls <see cref="Cancel"/>. Hand <see cref="For{T}"/> to an experiment
/// that reports <c>IProgress&lt;T&gt;</c>.</summary>
public sealed class LiveProgress : IDisposable
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock gate = new();
    private readonly CancellationTokenSource cancel;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly KernelInvocationContext? context;
    private readonly string displayId = Guid.NewGuid().ToString("N");
    private TimeSpan? lastShown;

    private LiveProgress(string title, double? total, CancellationToken outer)
    {
        Title = title;
        Total = total;
        context = KernelInvocationContext.Current;
        cancel = CancellationTokenSource.CreateLinkedTokenSource(outer, context?.CancellationToken ?? CancellationToken.None);

        // Published by hand with one id for the display and all its updates, so hosts (and our runner) replace the
        // output in place; DisplayedValue.Update in this .NET Interactive release uses a different id than its display.
        context?.Publish(new DisplayedValueProduced(this, context.Command, Formatted(), displayId));
    }

    public string Title { get; }

    public double? Total { get; private set; }

    public double Done { get; private set; }

    public string Message { get; private set; } = "starting";

    public string State { get; private set; } = "running";

    public CancellationToken Token => cancel.Token;

    /// <summary>Shows the display and returns it. <paramref name="total"/> is the number of steps, if known.</summary>
    public static LiveProgress Start(string title, double? total = null, CancellationToken cancellationToken = default) => new(title, total, cancellationToken);

    public void Report(double done, string? message = null)
    {
        lock (gate)
        {
            Done = done;
            Message = message ?? Message;
        }

        Refresh(force: false);
    }

    /// <summary>An <see cref="IProgress{T}"/> for an experiment's own progress type.</summary>
    public IProgress<T> For<T>(Func<T, (double Done, string Message)> map) => new Adapter<T>(this, map);

    /// <summary>An <see cref="IProgress{T}"/> for a watched suite (bandwidth, all-reduce): cases done of the total, and the case just finished.</summary>
    public IProgress<Bandwidth.Execution.SuiteProgress> ForSuite() => new Adapter<Bandwidth.Execution.SuiteProgress>(this, p =>
    {
        SetTotal(p.Total);
        return (p.Done, p.Item);
    });

    /// <summary>An <see cref="IProgress{T}"/> for a power-cap sweep: caps done of the plan, the cap and its phase.</summary>
    public IProgress<Power.PowerSweepProgress> ForSweep() => new Adapter<Power.PowerSweepProgress>(this, p =>
    {
        SetTotal(p.CapCount);
        return (p.Phase == "done" ? p.CapIndex + 1 : p.CapIndex, string.Create(CultureInfo.InvariantCulture, $"{p.CapLabel} W: {p.Phase}"));
    });

    /// <summary>An <see cref="IProgress{T}"/> for the founding story: the chapter that is starting.</summary>
    public IProgress<Experiments.StoryProgress> ForStory() => new Adapter<Experiments.StoryProgress>(this, p =>
    {
        SetTotal(p.Chapters);
        return (p.Chapter - 1, p.Title);
    });

    public void Complete(string? message = null) => End("done", message);

    private void SetTotal(double total)
    {
        lock (gate)
        {
            Total = total;
        }
    }

    public void Fail(string message) => End("failed", message);

    public void Cancel()
    {
        cancel.Cancel();
        End("cancelled", "cancelled");
    }

    public void Dispose()
    {
        if (State == "running")
        {
            End(Token.IsCancellationRequested ? "cancelled" : "stopped", null);
        }

        cancel.Dispose();
    }

    public string ToText()
    {
        lock (gate)
        {
            var fraction = Total is > 0 ? $" {Done.ToString("0", CultureInfo.InvariantCulture)}/{Total.Value.ToString("0", CultureInfo.InvariantCulture)}" : "";
            return $"{Title}: {State}{fraction} — {Message} ({clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)";
        }
    }

    public string ToHtml()
    {
        lock (gate)
        {
            var percent = Total is > 0 ? Math.Clamp(100 * Done / Total.Value, 0, 100) : (State == "done" ? 100 : 0);
            var color = State switch { "failed" or "cancelled" => "#b00020", "done" => "#2ca02c", _ => "#1f77b4" };
            return "<div class=\"rig-progress\" style=\"font-family:sans-serif;max-width:640px\">" +
                $"<div><b>{Html.Text(Title)}</b> — {Html.Text(State)}: {Html.Text(Message)} " +
                $"<span style=\"color:#777\">({clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)</span></div>" +
                "<div style=\"background:#eee;height:10px;border-radius:4px\">" +
                $"<div style=\"background:{color};width:{percent.ToString("0.#", CultureInfo.InvariantCulture)}%;height:10px;border-radius:4px\"></div></div>" +
                (State == "running" ? "<div style=\"color:#777;font-size:85%\">Stop the cell to cancel; what was measured so far is kept.</div>" : "") +
                "</div>";
        }
    }

    private void End(string state, string? message)
    {
        lock (gate)
        {
            State = state;
            Message = message ?? Message;
            if (state == "done" && Total is { } t)
            {
                Done = t;
            }
        }

        Refresh(force: true);
    }

    private void Refresh(bool force)
    {
        lock (gate)
        {
            if (!force && lastShown is { } shown && clock.Elapsed - shown < MinInterval)
            {
                return;
            }

            lastShown = clock.Elapsed;
        }

        if (context is { IsComplete: false })
        {
            context.Publish(new DisplayedValueUpdated(this, displayId, context.Command, Formatted()));
        }
    }

    private IReadOnlyList<FormattedValue> Formatted() => FormattedValue.CreateManyFromObject(this, HtmlFormatter.MimeType, PlainTextFormatter.MimeType);

    private sealed class Adapter<T>(LiveProgress owner, Func<T, (double Done, string Message)> map) : IProgress<T>
    {
        public void Report(T value)
        {
            var (done, message) = map(value);
            owner.Report(done, message);
        }
    }
}
