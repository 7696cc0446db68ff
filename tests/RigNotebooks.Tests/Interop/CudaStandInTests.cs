using System.Runtime.InteropServices;
using RigNotebooks.Errors;
using RigNotebooks.Interop;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Interop;

/// <summary>Our CUDA driver bindings against the stand-in libcuda (device memory is host memory there, so copies move
/// real bytes): marshalling, handle lifetimes and error mapping only, not evidence about GPUs.</summary>
[Collection(StandInCollection.Name)]
public sealed class CudaStandInTests
{
    private const string FillPtx = ".version 7.0\n.target sm_80\n.address_size 64\n.visible .entry fill_u32(.param .u64 dst, .param .u32 value, .param .u64 count) { ret; }\n";

    private readonly StandInLibraries standIn = StandInLibraries.Instance;

    [Fact]
    public void StandIn_driver_devices_names_and_attributes()
    {
        var cuda = CudaDriver.Initialize();
        Assert.Equal(12020, cuda.VersionCode);
        Assert.Equal("12.2", cuda.Version);
        Assert.Equal(2, cuda.DeviceCount());
        var d0 = cuda.Device(0);
        Assert.Equal("Stand-in CUDA 0", d0.Name());
        Assert.Equal("0000:0a:00.0", d0.PciBusId());
        Assert.Equal(82, d0.MultiprocessorCount);
        Assert.Equal((8, 6), d0.ComputeCapability);
        Assert.Equal(2, d0.AsyncEngineCount);
        Assert.Equal(25447170048L, d0.TotalMemoryBytes());
        Assert.True(d0.CanAccessPeer(cuda.Device(1)));
        Assert.False(d0.CanAccessPeer(d0));
        Assert.Equal(1, cuda.DeviceByPciBusId("00000000:09:00.0")!.Ordinal);
        Assert.Null(cuda.DeviceByPciBusId("0000:41:00.0"));
    }

    [Fact]
    public void StandIn_invalid_device_maps_to_not_found()
    {
        var ex = Assert.Throws<GpuNotFoundException>(() => CudaDriver.Initialize().Device(5));
        Assert.Equal("cuDeviceGet", ex.Function);
        Assert.Equal(101, ex.Code);
    }

    [Fact]
    public void StandIn_host_device_round_trip_moves_the_bytes_pageable_and_pinned()
    {
        using var ctx = CudaDriver.Initialize().Device(0).RetainPrimaryContext();
        using var device = ctx.Allocate(4096);
        var source = Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray();
        CudaCopy.HostToDevice(device, source);
        var back = new byte[4096];
        CudaCopy.DeviceToHost(back, device);
        Assert.Equal(source, back);

        using var pinned = ctx.AllocatePinned(4096);
        device.Memset(0x5A);
        CudaCopy.DeviceToHost(pinned, device, 4096);
        Assert.All(pinned.AsSpan().ToArray(), b => Assert.Equal(0x5A, b));

        pinned.AsSpan().Fill(0x11);
        using var stream = ctx.CreateStream();
        CudaCopy.HostToDeviceAsync(device, pinned, 2048, stream);
        stream.Synchronize();
        CudaCopy.DeviceToHost(back, device);
        Assert.All(back.AsSpan(0, 2048).ToArray(), b => Assert.Equal(0x11, b));
        Assert.All(back.AsSpan(2048).ToArray(), b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void StandIn_device_to_device_and_peer_copies_sync_and_async()
    {
        var cuda = CudaDriver.Initialize();
        using var c0 = cuda.Device(0).RetainPrimaryContext();
        using var c1 = cuda.Device(1).RetainPrimaryContext();
        using var a = c0.Allocate(1024);
        using var b = c0.Allocate(1024);
        using var p = c1.Allocate(1024);
        a.Memset32(0xDEADBEEF);
        CudaCopy.DeviceToDevice(b, a, 1024);
        CudaCopy.Peer(p, b, 1024);
        var back = new byte[1024];
        CudaCopy.DeviceToHost(back, p);
        Assert.All(MemoryMarshal.Cast<byte, uint>(back).ToArray(), v => Assert.Equal(0xDEADBEEF, v));

        using var stream = c1.CreateStream();
        a.Memset(7);
        CudaCopy.PeerAsync(p, a, 512, stream);
        CudaCopy.DeviceToDeviceAsync(b, p, 1024, stream);
        stream.Synchronize();
        CudaCopy.DeviceToHost(back, b);
        Assert.Equal(7, back[0]);
        Assert.Equal(7, back[511]);
        Assert.Equal(0xEF, back[512]);
    }

    [Fact]
    public void StandIn_copies_larger_than_a_buffer_are_refused_before_the_driver()
    {
        using var ctx = CudaDriver.Initialize().Device(0).RetainPrimaryContext();
        using var small = ctx.Allocate(16);
        using var large = ctx.Allocate(32);
        Assert.Throws<ArgumentOutOfRangeException>(() => CudaCopy.DeviceToDevice(small, large, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => CudaCopy.HostToDevice(small, new byte[17]));
    }

    [Fact]
    public void StandIn_out_of_memory_carries_cuGetErrorName_and_cuGetErrorString()
    {
        using var ctx = CudaDriver.Initialize().Device(0).RetainPrimaryContext();
        var ex = Assert.Throws<GpuOutOfMemoryException>(() => ctx.Allocate(1L << 41));
        Assert.Equal("CUDA driver", ex.Library);
        Assert.Equal("cuMemAlloc_v2", ex.Function);
        Assert.Equal("CUDA_ERROR_OUT_OF_MEMORY", ex.CodeName);
        Assert.Equal("out of memory", ex.NativeMessage);
    }

    [Fact]
    public void StandIn_system_driver_mismatch_maps_to_driver_mismatch_with_the_driver_message()
    {
        _ = CudaDriver.Initialize(); // loads the stand-in (cuInit itself is forced to fail only in the CLI test, by environment)
        var ex = CudaErrors.ToException(CudaResult.SystemDriverMismatch, "cuInit");
        var mismatch = Assert.IsType<GpuDriverMismatchException>(ex);
        Assert.Equal(GpuErrorKind.DriverMismatch, mismatch.Kind);
        Assert.Equal(803, mismatch.Code);
        Assert.Equal("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", mismatch.CodeName);
        Assert.Equal("system has unsupported display driver / cuda driver combination", mismatch.NativeMessage);
        Assert.Contains("after a driver update, reboot", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_value_is_a_usage_error_not_a_rig_fault()
    {
        var ex = CudaErrors.ToException(CudaResult.InvalidValue, "cuMemcpyHtoD_v2");
        Assert.Equal(GpuErrorKind.InvalidUsage, ex.Kind);
        Assert.Contains("not a fault of the rig", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StandIn_unknown_codes_fall_back_to_the_number()
    {
        var ex = CudaErrors.ToException((CudaResult)4242, "cuSomething");
        Assert.Equal("CUresult 4242", ex.CodeName);
        Assert.Equal("unknown error", ex.NativeMessage);
        Assert.Equal(GpuErrorKind.Other, ex.Kind);
    }

    [Fact]
    public void StandIn_events_time_and_query_not_ready_without_throwing()
    {
        using var ctx = CudaDriver.Initialize().Device(0).RetainPrimaryContext();
        using var stream = ctx.CreateStream();
        using var start = ctx.CreateEvent();
        using var end = ctx.CreateEvent(blockingSync: true);
        Assert.False(start.IsComplete());
        start.Record(stream);
        end.Record(stream);
        end.Synchronize();
        Assert.True(end.IsComplete());
        Assert.True(stream.IsComplete());
        Assert.Equal(1.25, CudaEvent.ElapsedMs(start, end), 6);
        stream.WaitFor(end);
    }

    [Fact]
    public void StandIn_peer_access_enable_twice_reports_already_enabled_and_same_device_is_unsupported()
    {
        var cuda = CudaDriver.Initialize();
        using var c0 = cuda.Device(0).RetainPrimaryContext();
        using var c1 = cuda.Device(1).RetainPrimaryContext();
        c0.DisablePeerAccess(c1);
        Assert.True(c0.EnablePeerAccess(c1));
        Assert.False(c0.EnablePeerAccess(c1));
        Assert.True(c0.DisablePeerAccess(c1));
        Assert.False(c0.DisablePeerAccess(c1));
        var ex = Assert.Throws<GpuNotSupportedException>(() => c0.EnablePeerAccess(c0));
        Assert.Equal("CUDA_ERROR_PEER_ACCESS_UNSUPPORTED", ex.CodeName);
    }

    [Fact]
    public void StandIn_ptx_module_kernel_launch_passes_every_parameter()
    {
        using var ctx = CudaDriver.Initialize().Device(1).RetainPrimaryContext();
        using var module = ctx.LoadPtx(FillPtx);
        var kernel = module.Kernel("fill_u32");
        using var buffer = ctx.Allocate(256 * 4);
        buffer.Memset(0);
        using var stream = ctx.CreateStream();
        kernel.Launch(new Dim3(2), new Dim3(128), stream, KernelArgument.Pointer(buffer), KernelArgument.UInt32(0xC0FFEE), KernelArgument.UInt64(200));
        stream.Synchronize();
        var back = new byte[256 * 4];
        CudaCopy.DeviceToHost(back, buffer);
        var values = MemoryMarshal.Cast<byte, uint>(back).ToArray();
        Assert.All(values[..200], v => Assert.Equal(0xC0FFEEu, v));
        Assert.All(values[200..], v => Assert.Equal(0u, v));
    }

    [Fact]
    public void StandIn_bad_ptx_and_missing_kernel_map_to_driver_names()
    {
        using var ctx = CudaDriver.Initialize().Device(0).RetainPrimaryContext();
        var bad = Assert.Throws<GpuLibraryException>(() => ctx.LoadPtx("not ptx"));
        Assert.Equal("CUDA_ERROR_INVALID_PTX", bad.CodeName);
        using var module = ctx.LoadPtx(FillPtx);
        var missing = Assert.Throws<GpuLibraryException>(() => module.Kernel("nope"));
        Assert.Equal("CUDA_ERROR_NOT_FOUND", missing.CodeName);
        Assert.Contains("nope", missing.Function, StringComparison.Ordinal);
    }

    [Fact]
    public unsafe void StandIn_context_outlives_its_resources_whatever_the_dispose_order()
    {
        var cuda = CudaDriver.Initialize();
        var refs = (delegate* unmanaged<int, int>)standIn.Control(GpuLibrary.Cuda, "standin_cuda_primary_refs");
        var clear = (delegate* unmanaged<void>)standIn.Control(GpuLibrary.Cuda, "standin_cuda_clear_log");
        var log = (delegate* unmanaged<nint>)standIn.Control(GpuLibrary.Cuda, "standin_cuda_order_log");
        var before = refs(1);
        var allocations = standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_allocations");
        var ctx = cuda.Device(1).RetainPrimaryContext();
        var buffer = ctx.Allocate(64);
        var pinned = ctx.AllocatePinned(64);
        var stream = ctx.CreateStream();
        var ev = ctx.CreateEvent();
        var module = ctx.LoadPtx(FillPtx);
        Assert.Equal(before + 1, refs(1));

        clear();
        ctx.Dispose(); // released by the caller first ...
        Assert.Equal(before + 1, refs(1)); // ... but the resources still hold the context
        buffer.Dispose();
        pinned.Dispose();
        stream.Dispose();
        ev.Dispose();
        module.Dispose();
        Assert.Equal(before, refs(1));
        Assert.Equal(allocations, standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_allocations"));
        Assert.Equal(0, standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_pinned"));
        Assert.Equal(0, standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_modules"));
        Assert.Equal(
            "free-device;free-pinned;destroy-stream;destroy-event;unload-module;release-primary;",
            Marshal.PtrToStringUTF8(log()));
        Assert.Throws<ObjectDisposedException>(() => buffer.Memset(0));
    }

    [Fact]
    public void StandIn_private_contexts_are_destroyed_not_released()
    {
        var live = standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_created_contexts");
        using (var ctx = CudaDriver.Initialize().Device(0).CreateContext())
        {
            Assert.False(ctx.Handle.IsPrimary);
            Assert.Equal(live + 1, standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_created_contexts"));
            var (free, total) = ctx.MemoryInfo();
            Assert.True(free < total);
        }

        Assert.Equal(live, standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_created_contexts"));
    }
}
