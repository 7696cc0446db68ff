using RigNotebooks.Model;
using RigNotebooks.Probes;

namespace RigNotebooks.Interop.Nvml;

/// <summary>
/// One GPU as NVML sees it. Every method is one NVML query: it returns the value in kit units (W, J, °C, MHz, GB/s)
/// or throws a <see cref="Errors.GpuLibraryException"/> subclass — typically <see cref="Errors.GpuNotSupportedException"/>
/// on GeForce cards — carrying NVML's message. Wrap optional readings in <see cref="Hardware.Readout.Try{T}"/> to get
/// a value or a reason instead. The handle is valid while its <see cref="NvmlSession"/> is open.
/// </summary>
public sealed class NvmlDevice
{
    private readonly NvmlSession session;

    internal NvmlDevice(NvmlSession session, int index, nint handle)
    {
        this.session = session;
        Index = index;
        Handle = handle;
    }

    /// <summary>The NVML index (PCI bus order, as nvidia-smi numbers GPUs).</summary>
    public int Index { get; }

    internal nint Handle { get; }

    // ---- identity -------------------------------------------------------------------------------------------

    /// <summary>The product name, e.g. "NVIDIA GeForce RTX 3090".</summary>
    public unsafe string Name() => ReadString(&NvmlNative.nvmlDeviceGetName, 96, nameof(NvmlNative.nvmlDeviceGetName)); // NVML_DEVICE_NAME_V2_BUFFER_SIZE

    /// <summary>"GPU-xxxxxxxx-…", stable across reboots and slots.</summary>
    public unsafe string Uuid() => ReadString(&NvmlNative.nvmlDeviceGetUUID, 96, nameof(NvmlNative.nvmlDeviceGetUUID)); // NVML_DEVICE_UUID_V2_BUFFER_SIZE

    /// <summary>The board serial number; not supported on GeForce cards.</summary>
    public unsafe string Serial() => ReadString(&NvmlNative.nvmlDeviceGetSerial, 30, nameof(NvmlNative.nvmlDeviceGetSerial)); // NVML_DEVICE_SERIAL_BUFFER_SIZE

    public unsafe string VbiosVersion() => ReadString(&NvmlNative.nvmlDeviceGetVbiosVersion, 32, nameof(NvmlNative.nvmlDeviceGetVbiosVersion)); // NVML_DEVICE_VBIOS_VERSION_BUFFER_SIZE

    public NvmlPciIdentity PciInfo()
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetPciInfo_v3(Handle, out var pci), nameof(NvmlNative.nvmlDeviceGetPciInfo_v3));
        var nvmlBusId = pci.BusIdText();
        return new NvmlPciIdentity(
            PciAddress.Normalize(nvmlBusId),
            nvmlBusId,
            pci.Domain,
            pci.Bus,
            pci.Device,
            VendorId: (ushort)(pci.PciDeviceId & 0xffff),
            DeviceId: (ushort)(pci.PciDeviceId >> 16),
            pci.PciSubSystemId);
    }

    /// <summary>The architecture's name as the kit's catalogs spell it ("Ampere", "Ada"), or null when this NVML
    /// lacks <c>nvmlDeviceGetArchitecture</c> or reports an architecture it has no name for.</summary>
    public unsafe string? Architecture()
    {
        session.ThrowIfDisposed();
        var fn = NvmlOptional.Architecture;
        if (fn is null)
        {
            return null;
        }

        uint arch;
        NvmlErrors.Check(fn(Handle, &arch), "nvmlDeviceGetArchitecture");
        return NvmlArchitectures.Name(arch);
    }

    public GpuMemoryInfo Memory()
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetMemoryInfo(Handle, out var m), nameof(NvmlNative.nvmlDeviceGetMemoryInfo));
        return new GpuMemoryInfo(m.Total, m.Free, m.Used);
    }

    // ---- PCIe ----------------------------------------------------------------------------------------------

    /// <summary>The link as trained now and at its maximum. An idle GPU drops to Gen1: read it under load to see the real generation.</summary>
    public PcieLink Link() => new(
        (int)Query(NvmlNative.nvmlDeviceGetCurrPcieLinkGeneration, nameof(NvmlNative.nvmlDeviceGetCurrPcieLinkGeneration)),
        (int)Query(NvmlNative.nvmlDeviceGetCurrPcieLinkWidth, nameof(NvmlNative.nvmlDeviceGetCurrPcieLinkWidth)),
        (int)Query(NvmlNative.nvmlDeviceGetMaxPcieLinkGeneration, nameof(NvmlNative.nvmlDeviceGetMaxPcieLinkGeneration)),
        (int)Query(NvmlNative.nvmlDeviceGetMaxPcieLinkWidth, nameof(NvmlNative.nvmlDeviceGetMaxPcieLinkWidth)));

    /// <summary>The GPU's own maximum generation regardless of the slot, or null when this NVML lacks the call.</summary>
    public unsafe int? GpuMaxLinkGeneration()
    {
        session.ThrowIfDisposed();
        var fn = NvmlOptional.GpuMaxPcieLinkGeneration;
        if (fn is null)
        {
            return null;
        }

        uint gen;
        NvmlErrors.Check(fn(Handle, &gen), "nvmlDeviceGetGpuMaxPcieLinkGeneration");
        return (int)gen;
    }

    /// <summary>PCIe traffic over NVML's 20 ms window, GB/s (NVML reports KB/s with 1 KiB granularity; KB is read as 1024 bytes).</summary>
    public double PcieThroughputGBps(NvmlPcieCounter counter)
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetPcieThroughput(Handle, counter, out var kbps), nameof(NvmlNative.nvmlDeviceGetPcieThroughput));
        return kbps * 1024.0 / 1e9;
    }

    // ---- topology and P2P ----------------------------------------------------------------------------------

    /// <summary>The closest common ancestor of this GPU and <paramref name="other"/> (the nvidia-smi topo -m relation).</summary>
    public NvmlTopologyLevel CommonAncestor(NvmlDevice other)
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetTopologyCommonAncestor(Handle, other.Handle, out var level), nameof(NvmlNative.nvmlDeviceGetTopologyCommonAncestor));
        return level;
    }

    /// <summary>What the driver reports for one P2P capability from this GPU to <paramref name="other"/>.
    /// "Ok" is what the driver claims, not proof that peer copies work (REFERENCE.md §4).</summary>
    public NvmlP2PStatus P2PStatus(NvmlDevice other, NvmlP2PCapability capability)
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetP2PStatus(Handle, other.Handle, capability, out var status), nameof(NvmlNative.nvmlDeviceGetP2PStatus));
        return status;
    }

    // ---- power and energy ----------------------------------------------------------------------------------

    /// <summary>Board power, W: a 1-second average on Ampere and newer (REFERENCE.md §2); prefer <see cref="TotalEnergyJ"/> for integrals.</summary>
    public double PowerUsageW() => Query(NvmlNative.nvmlDeviceGetPowerUsage, nameof(NvmlNative.nvmlDeviceGetPowerUsage)) / 1000.0;

    /// <summary>Energy since the driver was loaded, J (Volta and newer). Differences of two readings give the energy in between.</summary>
    public double TotalEnergyJ()
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetTotalEnergyConsumption(Handle, out var mj), nameof(NvmlNative.nvmlDeviceGetTotalEnergyConsumption));
        return mj / 1000.0;
    }

    /// <summary>The power limit in force by the management setting, W.</summary>
    public double PowerLimitW() => Query(NvmlNative.nvmlDeviceGetPowerManagementLimit, nameof(NvmlNative.nvmlDeviceGetPowerManagementLimit)) / 1000.0;

    public double DefaultPowerLimitW() => Query(NvmlNative.nvmlDeviceGetPowerManagementDefaultLimit, nameof(NvmlNative.nvmlDeviceGetPowerManagementDefaultLimit)) / 1000.0;

    /// <summary>The limit actually enforced (the lowest of all limiters), W.</summary>
    public double EnforcedPowerLimitW() => Query(NvmlNative.nvmlDeviceGetEnforcedPowerLimit, nameof(NvmlNative.nvmlDeviceGetEnforcedPowerLimit)) / 1000.0;

    public PowerLimitRange PowerLimitRange()
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(
            NvmlNative.nvmlDeviceGetPowerManagementLimitConstraints(Handle, out var min, out var max),
            nameof(NvmlNative.nvmlDeviceGetPowerManagementLimitConstraints));
        return new PowerLimitRange(min / 1000.0, max / 1000.0);
    }

    /// <summary>Min, default, max and current limit together, W.</summary>
    public PowerLimits PowerLimits()
    {
        var range = PowerLimitRange();
        return new PowerLimits(range.MinW, DefaultPowerLimitW(), range.MaxW, PowerLimitW());
    }

    /// <summary>Sets the board power limit, W. Needs root; lasts until reboot or driver reload.
    /// Only the power experiment's guarded sweep calls this, and it restores the previous limits when done.</summary>
    public void SetPowerLimitW(double watts)
    {
        session.ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(watts);
        var mw = checked((uint)Math.Round(watts * 1000.0));
        NvmlErrors.Check(NvmlNative.nvmlDeviceSetPowerManagementLimit(Handle, mw), nameof(NvmlNative.nvmlDeviceSetPowerManagementLimit));
    }

    // ---- thermals, fans, clocks, utilisation ---------------------------------------------------------------

    /// <summary>GPU core temperature, °C.</summary>
    public double TemperatureC()
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetTemperature(Handle, NvmlTemperatureSensor.Gpu, out var c), nameof(NvmlNative.nvmlDeviceGetTemperature));
        return c;
    }

    /// <summary>Memory (VRAM) temperature through the field <c>NVML_FI_DEV_MEMORY_TEMP</c>, °C. Throws
    /// <see cref="Errors.GpuNotSupportedException"/> where the card does not report it (most GeForce cards).</summary>
    public double MemoryTemperatureC()
    {
        var reading = FieldValues(NvmlFieldIds.MemoryTemperature)[0];
        NvmlErrors.Check(reading.Return, "nvmlDeviceGetFieldValues(NVML_FI_DEV_MEMORY_TEMP)");
        return reading.Value;
    }

    /// <summary>Reads several <c>NVML_FI_*</c> fields in one call; each answer carries its own return code.</summary>
    public unsafe IReadOnlyList<NvmlFieldReading> FieldValues(params uint[] fieldIds)
    {
        session.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(fieldIds);
        if (fieldIds.Length == 0)
        {
            return [];
        }

        var values = new NvmlFieldValue[fieldIds.Length];
        for (var i = 0; i < fieldIds.Length; i++)
        {
            values[i].FieldId = fieldIds[i];
        }

        fixed (NvmlFieldValue* p = values)
        {
            NvmlErrors.Check(NvmlNative.nvmlDeviceGetFieldValues(Handle, values.Length, p), nameof(NvmlNative.nvmlDeviceGetFieldValues));
        }

        return values.Select(v => new NvmlFieldReading(
            v.FieldId,
            v.Return,
            v.Return == NvmlReturn.Success ? v.Value.ToDouble(v.ValueType) : double.NaN,
            v.TimestampUs)).ToList();
    }

    /// <summary>Fan speed as a percentage of its maximum (the target the driver sets).</summary>
    public double FanSpeedPercent() => Query(NvmlNative.nvmlDeviceGetFanSpeed, nameof(NvmlNative.nvmlDeviceGetFanSpeed));

    public double ClockMHz(NvmlClockType type)
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetClockInfo(Handle, type, out var mhz), nameof(NvmlNative.nvmlDeviceGetClockInfo));
        return mhz;
    }

    public double MaxClockMHz(NvmlClockType type)
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetMaxClockInfo(Handle, type, out var mhz), nameof(NvmlNative.nvmlDeviceGetMaxClockInfo));
        return mhz;
    }

    /// <summary>Why the clocks are held below their maximum right now (power cap, thermal, …): NVML's raw bitmask,
    /// named by <see cref="Telemetry.ClockEventReasons"/>.</summary>
    public unsafe ulong ClockEventReasons()
    {
        session.ThrowIfDisposed();
        var fn = NvmlOptional.ClockEventReasons;
        if (fn is null)
        {
            throw NvmlErrors.ToException(NvmlReturn.FunctionNotFound, "nvmlDeviceGetCurrentClocksEventReasons");
        }

        ulong reasons;
        NvmlErrors.Check(fn(Handle, &reasons), NvmlOptional.ClockEventReasonsName);
        return reasons;
    }

    public GpuUtilization Utilization()
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetUtilizationRates(Handle, out var u), nameof(NvmlNative.nvmlDeviceGetUtilizationRates));
        return new GpuUtilization(u.Gpu, u.Memory);
    }

    /// <summary>Whether persistence mode keeps the driver loaded with no client (Linux).</summary>
    public bool PersistenceMode()
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetPersistenceMode(Handle, out var mode), nameof(NvmlNative.nvmlDeviceGetPersistenceMode));
        return mode == NvmlEnableState.Enabled;
    }

    public override string ToString() => $"NVML GPU {Index}";

    private delegate NvmlReturn UIntQuery(nint device, out uint value);

    private uint Query(UIntQuery query, string function)
    {
        session.ThrowIfDisposed();
        NvmlErrors.Check(query(Handle, out var value), function);
        return value;
    }

    private unsafe string ReadString(delegate*<nint, byte*, uint, NvmlReturn> query, int size, string function)
    {
        session.ThrowIfDisposed();
        var buffer = stackalloc byte[size];
        NvmlErrors.Check(query(Handle, buffer, (uint)size), function);
        return NativeText.FromBuffer(buffer, size);
    }
}
