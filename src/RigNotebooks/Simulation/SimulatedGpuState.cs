using RigNotebooks.Simulation.Physics;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Simulation;

/// <summary>
/// The moving parts of a simulated rig over (simulated) time: each GPU's power limit, load, clock, power, temperatures,
/// energy counter and work done. Stepped by its <see cref="SimulatedClock"/> in steps of at most <see cref="StepS"/>,
/// using <see cref="DvfsModel"/> (clock and power under the cap) and <see cref="ThermalModel"/> (core and VRAM).
/// One instance per simulated rig, shared by its telemetry, power control, clock and workloads.
/// </summary>
/// <remarks>
/// Constants beyond the physics models, each an assumption for the RTX 3090-class cards of the reference profiles:
/// idle board power 8 % of the default limit (~28 W on a 3090: nvidia-smi readings of a headless 3090 in P8 are
/// commonly 20–35 W); idle SM clock 210 MHz (Ampere's P8 state as nvidia-smi shows it); fans stopped below 50 °C
/// core ("idle: GPU and PSU fans stop", REFERENCE.md §1) and rising linearly to 100 % at 90 °C; memory-controller
/// utilisation equal to the memory-bound share of the work. VRAM at or above the model's throttle temperature
/// (110 °C on GDDR6X, data/gpus.json) holds the board at the power that keeps it there and reports SW thermal
/// slowdown (0x20): NVML documents that reason as keeping the memory below its max operating temperature.
/// The rig starts switched on and idle: each card at the temperatures its idle power settles it at (not at ambient).
/// The memory clock is the model's datasheet figure as NVML reports it (data/gpus.json, 9751 MHz on a 3090) when the
/// data gives one, busy or idle: the model does not step the memory down at idle (real cards do in P8; no sourced
/// figure), nor under a power cap (the DVFS model lowers the core clock). An idle GPU reports NVML's GPU-idle reason (0x1).
/// </remarks>
public sealed class SimulatedGpuState
{
    public const double StepS = 0.1;
    public const double IdlePowerFraction = 0.08;
    public const double IdleSmClockMHz = 210;
    public const double FanStartC = 50;
    public const double FanFullC = 90;

    private readonly object gate = new();
    private readonly Gpu[] gpus;
    private readonly ThermalModel thermal;
    private readonly List<LockstepJob> jobs = [];
    private readonly double noiseFraction;
    private double simNowS;

    public SimulatedGpuState(SimulatedRig rig)
    {
        Rig = rig;
        var description = rig.Describe();
        thermal = new ThermalModel(description);
        noiseFraction = rig.Options.NoiseFraction;
        gpus = description.Gpus.Select(g =>
        {
            var spec = rig.ModelOf(g.Index);
            // A rig that is switched on idles above ambient: each card starts where its idle power settles it, not cold.
            return new Gpu(g.Index, spec.PowerDefaultW, spec.VramThrottleC, new DvfsModel(spec), thermal.Steady(g.Index, spec.PowerDefaultW * IdlePowerFraction), new Random(rig.Options.Seed + g.Index))
            {
                MemClockMHz = spec.MemoryClockMHz,
            };
        }).ToArray();
        Control = new SimulatedPowerControl(rig);
        Clock = new SimulatedClock(AdvanceTo);
        Telemetry = new SimulatedTelemetry(this);
        Workloads = new SimulatedWorkloads(this);
    }

    public SimulatedRig Rig { get; }

    public SimulatedClock Clock { get; }

    public SimulatedPowerControl Control { get; }

    public IGpuTelemetry Telemetry { get; }

    public IWorkloadProvider Workloads { get; }

    public int GpuCount => gpus.Length;

    /// <summary>Puts a load on GPUs: busy (with the memory-bound share of the work and the work rate at full boost, per GPU)
    /// or idle. Work done is credited to <paramref name="meter"/> as simulated time passes.</summary>
    public void SetLoad(IEnumerable<int> which, bool busy, double memoryBoundFraction = 0, double unitsPerSAtFullClock = 0, WorkMeter? meter = null)
    {
        lock (gate)
        {
            foreach (var i in which)
            {
                var g = gpus[i];
                g.Busy = busy;
                g.MemoryBoundFraction = memoryBoundFraction;
                g.UnitsPerSAtFullClock = unitsPerSAtFullClock;
                g.Meter = busy ? meter : null;
            }

            if (!busy)
            {
                var stopped = which.ToHashSet();
                jobs.RemoveAll(j => j.Gpus.Any(stopped.Contains));
            }
        }
    }

    /// <summary>Puts a lockstep job on GPUs (data-parallel training: every replica waits for the slowest): each is busy
    /// with the memory-bound share of the work; as simulated time passes the rig's work rate is
    /// <paramref name="rigUnitsPerS"/> of the GPUs' relative throughputs under their caps and heat (in the order of
    /// <paramref name="gpus"/>), credited to <paramref name="meter"/> in equal shares. Ended by <see cref="SetLoad"/> with busy false.</summary>
    public void SetLockstepLoad(IReadOnlyList<int> gpus, double memoryBoundFraction, Func<IReadOnlyList<double>, double> rigUnitsPerS, WorkMeter meter)
    {
        lock (gate)
        {
            SetLoad(gpus, busy: true, memoryBoundFraction);
            jobs.RemoveAll(j => j.Gpus.Intersect(gpus).Any());
            jobs.Add(new LockstepJob(gpus.ToArray(), rigUnitsPerS, meter));
        }
    }

    /// <summary>Steps every GPU to simulated time <paramref name="tS"/> (never backwards).</summary>
    public void AdvanceTo(double tS)
    {
        lock (gate)
        {
            while (simNowS < tS - 1e-12)
            {
                var dt = Math.Min(StepS, tS - simNowS);
                var end = simNowS + dt;
                foreach (var g in gpus)
                {
                    Step(g, dt, end);
                }

                foreach (var job in jobs)
                {
                    var rate = job.RigUnitsPerS(job.Gpus.Select(i => gpus[i].RelativeThroughput).ToArray());
                    foreach (var i in job.Gpus)
                    {
                        job.Meter.Add(end, rate * dt / job.Gpus.Length, i);
                    }
                }

                simNowS = end;
            }
        }
    }

    /// <summary>What the GPU's sensors say now (with the configured measurement noise).</summary>
    public GpuReading Read(int gpu)
    {
        lock (gate)
        {
            var g = gpus[gpu];
            var busy = g.BusyInLastStep; // every figure of a reading comes from the same (last) step
            return new GpuReading(
                PowerW: Noisy(g, g.PowerOneSecondW),
                PowerInstantW: Noisy(g, g.PowerW),
                EnergyJ: g.EnergyJ,
                CoreTempC: Noisy(g, g.Thermal.CoreC),
                VramTempC: Noisy(g, g.Thermal.VramC),
                SmClockMHz: Noisy(g, g.SmClockMHz),
                MemClockMHz: g.MemClockMHz,
                UtilGpuPct: busy ? 100 : 0,
                UtilMemPct: busy ? Math.Round(100 * g.MemoryBoundFraction) : 0,
                FanPct: Math.Round(Math.Clamp((g.Thermal.CoreC - FanStartC) / (FanFullC - FanStartC), 0, 1) * 100),
                ClockEventReasons: (ulong)g.Reasons,
                PcieTxGBps: 0,
                PcieRxGBps: 0);
        }
    }

    private void Step(Gpu g, double dt, double endS)
    {
        var capW = Control.LimitW(g.Index);
        var reasons = ClockEventReasons.None;
        double power;
        if (g.Busy)
        {
            var limitW = capW;
            if (g.VramThrottleC is { } throttleC && g.Thermal.VramC >= throttleC - 1e-9)
            {
                var holdW = thermal.PowerForVramC(g.Index, throttleC);
                if (holdW < limitW)
                {
                    limitW = holdW;
                    reasons |= ClockEventReasons.SwThermalSlowdown;
                }
            }

            var point = g.Dvfs.At(Math.Max(limitW, 1), g.MemoryBoundFraction);
            if (point.PowerLimited && (reasons & ClockEventReasons.SwThermalSlowdown) == 0)
            {
                reasons |= ClockEventReasons.SwPowerCap;
            }

            power = point.PowerW;
            g.SmClockMHz = point.SmClockMHz;
            g.RelativeThroughput = point.RelativeThroughput;
            var units = g.UnitsPerSAtFullClock * point.RelativeThroughput * dt;
            g.Meter?.Add(endS, units, g.Index);
        }
        else
        {
            power = Math.Min(capW, g.DefaultW * IdlePowerFraction);
            g.SmClockMHz = IdleSmClockMHz;
            g.RelativeThroughput = 0;
            reasons = ClockEventReasons.GpuIdle;
        }

        g.Reasons = reasons;
        g.BusyInLastStep = g.Busy;
        g.PowerW = power;
        g.EnergyJ += power * dt;
        g.Thermal = thermal.Step(g.Index, g.Thermal, power, dt);
        g.RecordPower(dt, power);
    }

    private double Noisy(Gpu g, double value)
    {
        if (noiseFraction <= 0)
        {
            return value;
        }

        // Box–Muller: one normal deviate per reading, from the GPU's seeded generator (deterministic for a seed and call order).
        var u1 = 1.0 - g.Random.NextDouble();
        var u2 = g.Random.NextDouble();
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return value * (1 + (noiseFraction * normal));
    }

    private sealed record LockstepJob(int[] Gpus, Func<IReadOnlyList<double>, double> RigUnitsPerS, WorkMeter Meter);

    private sealed class Gpu(int index, double defaultW, double? vramThrottleC, DvfsModel dvfs, ThermalState thermal, Random random)
    {
        private readonly Queue<(double Dt, double PowerW)> lastSecond = new();
        private double lastSecondJ;
        private double lastSecondS;

        public int Index { get; } = index;

        public double DefaultW { get; } = defaultW;

        public double? VramThrottleC { get; } = vramThrottleC;

        public DvfsModel Dvfs { get; } = dvfs;

        public Random Random { get; } = random;

        public ThermalState Thermal { get; set; } = thermal;

        public bool Busy { get; set; }

        public bool BusyInLastStep { get; set; }

        public double MemoryBoundFraction { get; set; }

        public double UnitsPerSAtFullClock { get; set; }

        public WorkMeter? Meter { get; set; }

        public double PowerW { get; set; } = defaultW * IdlePowerFraction;

        public double SmClockMHz { get; set; } = IdleSmClockMHz;

        public double? MemClockMHz { get; init; }

        /// <summary>The last step's throughput relative to full boost (0 when idle).</summary>
        public double RelativeThroughput { get; set; }

        public double EnergyJ { get; set; }

        public ClockEventReasons Reasons { get; set; } = ClockEventReasons.GpuIdle;

        /// <summary>The mean power of the last second, as NVML's power reading on Ampere and newer (REFERENCE.md §2).</summary>
        public double PowerOneSecondW => lastSecondS > 0 ? lastSecondJ / lastSecondS : PowerW;

        public void RecordPower(double dt, double powerW)
        {
            lastSecond.Enqueue((dt, powerW));
            lastSecondJ += dt * powerW;
            lastSecondS += dt;
            while (lastSecondS > 1.0 + 1e-9 && lastSecond.Count > 1)
            {
                var (oldDt, oldP) = lastSecond.Dequeue();
                lastSecondJ -= oldDt * oldP;
                lastSecondS -= oldDt;
            }
        }
    }
}
