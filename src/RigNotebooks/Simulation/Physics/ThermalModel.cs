using RigNotebooks.Model;

namespace RigNotebooks.Simulation.Physics;

/// <summary>
/// First-order thermals per GPU: each temperature relaxes toward ambient + R × board power with its own time
/// constant; the thermal resistance grows with the card's position in the airflow (cards downstream breathe
/// the air the others warmed). VRAM follows board power.
/// </summary>
/// <remarks>
/// Calibration (REFERENCE.md §1, the reference rig at 285 W, open-air frame, cards blowing to the right): the
/// hottest, right-most card's core "never above 70 °C" and its GDDR6X at 104 °C, 6 °C below the 110 °C
/// throttle point. With 25 °C ambient that is R_core = 45/285 and R_vram = 79/285 °C/W for the last position.
/// Each position downstream adds 8 % (assumption: the write-up names the hottest card, not the spread).
/// Time constants (assumptions): core 30 s (heatsink), VRAM 90 s (pads and backplate).
/// </remarks>
public sealed class ThermalModel
{
    public const double CalibrationPowerW = 285;
    public const double CalibrationCoreRiseC = 70 - 25;
    public const double CalibrationVramRiseC = 104 - 25;
    public const int CalibrationPosition = 2;
    public const double PositionStep = 0.08;
    public const double CoreTimeConstantS = 30;
    public const double VramTimeConstantS = 90;
    public const double DefaultAmbientC = 25;

    private readonly RigDescription rig;

    public ThermalModel(RigDescription rig)
    {
        this.rig = rig;
    }

    public double AmbientC => rig.Cooling?.AmbientC ?? DefaultAmbientC;

    public double CoreResistanceCPerW(int gpu) => CalibrationCoreRiseC / CalibrationPowerW * PositionScale(gpu);

    public double VramResistanceCPerW(int gpu) => CalibrationVramRiseC / CalibrationPowerW * PositionScale(gpu);

    /// <summary>Everything at ambient: a card that has been switched off for a while. A switched-on rig idles above this:
    /// see <see cref="Steady"/> at the idle power.</summary>
    public ThermalState Cold => new(AmbientC, AmbientC);

    /// <summary>Where the temperatures settle at a constant board power.</summary>
    public ThermalState Steady(int gpu, double powerW) =>
        new(AmbientC + (CoreResistanceCPerW(gpu) * powerW), AmbientC + (VramResistanceCPerW(gpu) * powerW));

    /// <summary>Advances the temperatures by <paramref name="dtS"/> seconds at a constant board power (exact for first order).</summary>
    public ThermalState Step(int gpu, ThermalState state, double powerW, double dtS)
    {
        var target = Steady(gpu, powerW);
        var kCore = 1 - Math.Exp(-dtS / CoreTimeConstantS);
        var kVram = 1 - Math.Exp(-dtS / VramTimeConstantS);
        return new ThermalState(state.CoreC + ((target.CoreC - state.CoreC) * kCore), state.VramC + ((target.VramC - state.VramC) * kVram));
    }

    /// <summary>The board power at which this GPU's VRAM settles at <paramref name="vramLimitC"/> (the throttle point).</summary>
    public double PowerForVramC(int gpu, double vramLimitC) => (vramLimitC - AmbientC) / VramResistanceCPerW(gpu);

    private double PositionScale(int gpu)
    {
        var position = rig.Gpus[gpu].AirflowPosition ?? 0;
        return (1 + (PositionStep * position)) / (1 + (PositionStep * CalibrationPosition));
    }
}
