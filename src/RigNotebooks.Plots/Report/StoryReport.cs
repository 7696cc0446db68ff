using System.Globalization;
using RigNotebooks.Experiments;
using RigNotebooks.Model;

namespace RigNotebooks.Plots;

/// <summary>
/// The founding story as one offline page (<c>rig reproduce</c>'s report.html): each chapter's prose, findings and
/// charts, in the order of notebook 00, then the list of runs. Every chart says on its face whether its rows are
/// simulated or measured; the prose says which rigs are profiles.
/// </summary>
public static class StoryReport
{
    /// <summary>The chart titles the report draws, in order (a chapter that was skipped draws nothing).</summary>
    public static class Titles
    {
        public const string FailingCopies = "Driver 545: GPU-to-GPU copies under the watchdog";
        public const string FailingTraining = "Driver 545: data-parallel training, P2P on and off";

        public const string BeforeAfter = "Driver 545 → 535: GPU-to-GPU copies before and after the fix";
        public const string IommuCopies = "IOMMU translating: GPU-to-GPU copies";
        public const string Bandwidth = "The fixed rig: GPU-to-GPU bandwidth and latency";
        public const string AllReduce = "The fixed rig: all-reduce bus bandwidth";
        public const string Scaling = "The fixed rig: data-parallel scaling, P2P on and off";
        public const string PowerSweep = "Why 285 W: throughput, power and energy per cap";
        public const string Thermals = "Ten minutes under load at the cap: power, temperatures and clocks";
        public const string Cost = "Owning the rig against renting: cost per million tokens";
    }

    public static HtmlReport Build(StoryResult story)
    {
        ArgumentNullException.ThrowIfNull(story);
        var rig = story.Rig;
        var report = new HtmlReport($"The founding story, reproduced on {story.Options.Rig}");
        report.Markdown(
            "This page replays the founding write-up (*Building a deep learning rig, part 2*, Feb 2024): three used RTX 3090s " +
            "on a Threadripper X399 board, 3-GPU training that hung under driver 545, the IOMMU detour, the fix (545 → 535), " +
            "then bandwidth, data-parallel scaling, the power cap and the bill. " +
            $"The failing states are profiles of the reference rig (`{story.Options.FailingRig}`, `{story.Options.IommuRig}`): " +
            "**simulated**, by the kit's models, and labelled so on every chart. " +
            (rig.Source == DataSource.Simulated
                ? $"The fixed rig, `{story.Options.Rig}`, is simulated too: these are the models' figures, not measurements."
                : $"The fixed rig, `{story.Options.Rig}`, is this machine: its figures are {rig.Source.ToString().ToLowerInvariant()}."));
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{story.Runs.Count} runs in {story.ResultsFolder}, written in {story.Elapsed.TotalSeconds:0.0} s. Open this file anywhere: it needs no network."));

        report.Section("1. What the rig is", "rig");
        report.Markdown(
            $"{rig.Gpus.Count} GPUs on {rig.Platform.CpuModel}, driver {rig.Platform.DriverVersion}. " +
            "How each pair is connected (`PIX` same switch … `SYS` across the CPU interconnect) and whether it may use P2P:");
        report.Raw(Matrix.Topology(rig).ToHtml());
        report.Table(["GPU", "model", "PCIe link (current / max)", "power limit"], rig.Gpus.Select(g => (IReadOnlyList<string>)
        [
            g.Index.ToString(CultureInfo.InvariantCulture),
            g.Name,
            $"{g.Link.Current} / {g.Link.Max}",
            string.Create(CultureInfo.InvariantCulture, $"{g.PowerLimits.CurrentW:0} W (max {g.PowerLimits.MaxW:0} W)"),
        ]));

        report.Section("2. The failing state: driver 545, caught by the watchdog", "driver545");
        report.Markdown(
            "Under driver 545 the GPUs report P2P, but a peer copy never completes and neither does the first collective: " +
            "training hangs forever after the processes initialise. `rig doctor --deep` copies 8 bytes then 64 MiB between every pair " +
            "and runs a tiny all-reduce, each in a worker process with a deadline. The watchdog kills what hangs, records it as " +
            "`hung after N s`, and the doctor names the driver.");
        Watchdog(report, story.Failing);
        report.Findings(story.Failing.Findings);
        report.Chart(Charts.BandwidthMatrices(ChartData.From(story.Failing.Run), Titles.FailingCopies));
        report.Markdown(
            "Training on the same rig: with P2P on, the first all-reduce never returns (HUNG); with `NCCL_P2P_DISABLE=1` it starts, " +
            "but every gradient is staged through host memory (the write-up: \"punitively slow, even for DDP\"); the split below shows " +
            "how much of each step the staged all-reduce costs for this model on PCIe 3.0.");
        report.Chart(Charts.Scaling(ChartData.From(story.FailingScaling.Run), Titles.FailingTraining));

        report.Section("3. The IOMMU variant", "iommu");
        report.Markdown(
            "The write-up's first suspect. With the IOMMU translating every peer transfer, copies do not hang: they arrive slowly, " +
            "and corrupt. P2P on is then *slower* than staging through host memory, and the data check finds wrong bytes. " +
            "Disabling the IOMMU in the BIOS and `iommu=pt` were tried on the reference rig; they were not enough there, because " +
            "the fault was the driver.");
        Watchdog(report, story.Iommu);
        report.Findings(story.Iommu.Findings);
        report.Chart(Charts.BandwidthMatrices(ChartData.From(story.Iommu.Run), Titles.IommuCopies));

        report.Section("4. The fix: driver 545 → 535", "fix");
        report.Markdown("The same deep check on the fixed rig: every peer copy completes and verifies, the all-reduce agrees with its P2P-off control.");
        report.Findings(story.Fixed.Findings);
        report.Chart(Charts.CompareRuns([story.Failing.Run, story.Fixed.Run], "bandwidth", "peer_unidirectional", Titles.BeforeAfter));

        report.Section("5. Bandwidth: host and GPU-to-GPU, P2P on and off", "bandwidth");
        report.Markdown(
            "Measured like nvbandwidth (512 MiB buffers, 16 copies per sample, median of 3; GB = 1e9). On PCIe 3.0 x16 a copy reaches " +
            "about 12 GB/s; with P2P off it is staged through host memory. The all-reduce sweep is nccl-tests' `-b 8 -e 256M -f 2`.");
        report.Findings(story.Bandwidth.Findings);
        report.Chart(Charts.BandwidthMatrices(ChartData.From(story.Bandwidth.Run), Titles.Bandwidth));
        report.Chart(Charts.AllReduce(ChartData.From(story.AllReduce.Run), Titles.AllReduce));

        report.Section("6. Data-parallel scaling, P2P on and off", "scaling");
        if (story.Scaling is { } scaling)
        {
            report.Markdown(
                "The kit's reference model (a GPT-style transformer of about 100 M parameters) trained data-parallel on 1..N GPUs: each " +
                "step is the compute of its real FLOPs under the power cap plus the exposed part of a ring all-reduce of its real " +
                "gradient bytes. The write-up saw 3 GPUs run 3× faster than one; with P2P off the all-reduce goes through host memory and its exposed share of the step grows with every GPU added.");
            report.Chart(Charts.Scaling(ChartData.From(scaling.Run), Titles.Scaling));
            report.Findings(scaling.Findings);
        }
        else
        {
            Skipped(report, story, "scaling");
        }

        report.Section("7. The power-cap sweep: why 285 W", "power");
        if (story.PowerSweep is { } sweep)
        {
            report.Markdown(
                "Every card under a compute-bound burn at each cap from the stock 350 W down to 200 W: a warm-up until the temperatures " +
                "settle (a few minutes; drift under 0.5 °C per 30 s), then a minute measured. The write-up settled on 285 W, \"a couple of percent slower\"; the sweep's rule " +
                "here is the lowest cap within 4 % of the fastest. At 350 W the hottest card's VRAM reaches its 110 °C throttle point; " +
                "at 285 W the first 750 W unit, feeding two cards, keeps 750 − 2 × 285 = 180 W of margin — the write-up's \"almost 180 W\". " +
                "Simulated time: the minutes are the model's, computed in a second.");
            if (sweep.Report.Recommendation is { } recommendation)
            {
                report.Paragraph($"Recommended: {recommendation.Headline} — by {recommendation.Rule}.");
            }

            report.Chart(Charts.PowerSweep(ChartData.From(sweep.Run), title: Titles.PowerSweep));
            report.Findings(sweep.Findings);
        }
        else
        {
            Skipped(report, story, "power");
        }

        report.Section("8. Thermals and VRAM", "thermals");
        if (story.Thermals is { } thermals)
        {
            report.Markdown(
                "Ten minutes of the same burn at the rig's cap, sampled every second. In the open-air frame the cards blow their air " +
                "to the right, so the right-most card runs hottest; the write-up saw the cores never above 70 °C and the VRAM at " +
                "104 °C (GDDR6X throttles at 110 °C: the line across the temperature panel). Shaded spans are time with a slowdown reason set — here the " +
                "power cap holding the clocks, as a cap should.");
            report.Chart(Charts.Timeline(ChartData.From(thermals.Run), Titles.Thermals));
            report.Findings(thermals.Findings);
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"Energy over the window: {thermals.Report.Window.TotalEnergyKWh:0.###} kWh ({thermals.Report.Window.EnergyMethods}), {thermals.Report.Cost:0.###} {thermals.Report.Price.Currency} at {thermals.Report.Price.PricePerKWh:0.###} {thermals.Report.Price.Currency}/kWh."));
        }
        else
        {
            Skipped(report, story, "thermals");
        }

        report.Section("9. Energy and cost: owning against renting", "cost");
        if (story.Cost is { } cost)
        {
            report.Markdown(
                "The rig's bill of materials (2,379 EUR in the write-up) and its electricity at load — " +
                (story.Thermals is null ? "simulated" : "the mean power of the ten minutes above, plus the rest of the system") +
                " — against renting cloud GPUs for the same work, per million tokens. Prices are data with their dates and sources (`data/prices/`).");
            report.Chart(Charts.CostBreakdown(ChartData.From(cost.Run), Titles.Cost));
            report.Markdown(string.Join("\n", cost.Report.Conclusions.Select(c => "- " + c)));
        }
        else
        {
            Skipped(report, story, "cost");
        }

        report.Section("The runs", "runs");
        report.Table(["run", "experiment", "rig", "source", "status", "findings", "notes"], story.Runs.Select(r => (IReadOnlyList<string>)
        [
            r.RunId,
            r.Run.Record.Experiment,
            r.Run.Record.Rig.RigId,
            r.Run.Record.Source.ToString().ToLowerInvariant(),
            r.Run.Record.Status.ToString().ToLowerInvariant(),
            r.Findings.Count.ToString(CultureInfo.InvariantCulture),
            string.Join(" · ", r.Run.Record.Notes.Select(n => n.Text)),
        ]));
        return report;
    }

    private static void Watchdog(HtmlReport report, ExperimentResult result)
    {
        if (result.Watchdog.Count > 0)
        {
            report.Code(string.Join("\n", result.Watchdog), "what the watchdog did");
        }
    }

    private static void Skipped(HtmlReport report, StoryResult story, string key) =>
        report.Paragraph($"Not run on this rig: {story.Skipped.GetValueOrDefault(key, "not available")}.");
}
