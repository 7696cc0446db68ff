namespace RigNotebooks.Hardware;

/// <summary>
/// The burn kernel in PTX (ISA 7.0, target sm_52: the driver JIT-compiles it for the GPU in hand; needs a CUDA 11+
/// driver). Each thread runs <c>iterations</c> loop trips of 8 × 4 independent FP32 FMA chains (64 FLOP a trip) and
/// stores the sum, so nothing can be optimised away: work per launch = threads × iterations × 64 FLOP exactly.
/// </summary>
internal static class BurnPtx
{
    public const string EntryName = "rig_fma_burn";

    /// <summary>Times the loop body does one FMA on each chain (<see cref="FmaOnEachChain"/>) per trip.</summary>
    public const int Unroll = 8;

    /// <summary>FP32 FLOP per thread per loop trip: <see cref="Unroll"/> × 4 chains × 2 (an FMA counts as 2).</summary>
    public const int FlopPerIteration = Unroll * 4 * 2;

    /// <summary>One FMA on each of the four independent chains %f3 to %f6 (value = value × 0.99999994 + 1e-7), so
    /// consecutive FMAs do not wait on each other.</summary>
    private const string FmaOnEachChain = """
            fma.rn.f32 %f3, %f3, %f7, %f8;
            fma.rn.f32 %f4, %f4, %f7, %f8;
            fma.rn.f32 %f5, %f5, %f7, %f8;
            fma.rn.f32 %f6, %f6, %f7, %f8;
        """;

    private static readonly string Unrolled = string.Join('\n', Enumerable.Repeat(FmaOnEachChain, Unroll));

    // Constants as PTX hex floats: 0f3A83126F = 0.001, 0f3F800000 = 1, 0f40000000 = 2, 0f40400000 = 3,
    // 0f3F7FFFFF = 0.99999994 (the multiplier keeps values bounded), 0f33D6BF95 = 1e-7 (the addend).
    public static readonly string Source = $$"""
        .version 7.0
        .target sm_52
        .address_size 64

        .visible .entry rig_fma_burn(
            .param .u64 out_ptr,
            .param .u32 iterations,
            .param .f32 seed
        )
        {
            .reg .pred %p<2>;
            .reg .b32 %r<8>;
            .reg .f32 %f<16>;
            .reg .b64 %rd<6>;

            ld.param.u64 %rd1, [out_ptr];
            ld.param.u32 %r1, [iterations];
            ld.param.f32 %f1, [seed];
            mov.u32 %r2, %ctaid.x;
            mov.u32 %r3, %ntid.x;
            mov.u32 %r4, %tid.x;
            mad.lo.s32 %r5, %r2, %r3, %r4;
            cvt.rn.f32.s32 %f2, %r5;
            mul.f32 %f2, %f2, 0f3A83126F;
            add.f32 %f3, %f1, %f2;
            add.f32 %f4, %f3, 0f3F800000;
            add.f32 %f5, %f3, 0f40000000;
            add.f32 %f6, %f3, 0f40400000;
            mov.f32 %f7, 0f3F7FFFFF;
            mov.f32 %f8, 0f33D6BF95;
            setp.eq.u32 %p1, %r1, 0;
            @%p1 bra DONE;
        LOOP:
        {{Unrolled}}
            sub.u32 %r1, %r1, 1;
            setp.ne.u32 %p1, %r1, 0;
            @%p1 bra LOOP;
        DONE:
            add.f32 %f9, %f3, %f4;
            add.f32 %f10, %f5, %f6;
            add.f32 %f11, %f9, %f10;
            cvta.to.global.u64 %rd2, %rd1;
            mul.wide.s32 %rd3, %r5, 4;
            add.s64 %rd4, %rd2, %rd3;
            st.global.f32 [%rd4], %f11;
            ret;
        }
        """;
}
