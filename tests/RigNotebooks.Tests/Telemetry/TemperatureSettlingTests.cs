using RigNotebooks.Telemetry;

namespace RigNotebooks.Tests.Telemetry;

public class TemperatureSettlingTests
{
    private static GpuSample At(double t, int gpu, double? coreC, double? vramC) =>
        new(t, gpu, new GpuReading(null, null, null, coreC, vramC, null, null, null, null, null, null, null, null));

    [Fact]
    public void The_drift_is_the_fitted_change_over_the_window_of_the_fastest_moving_temperature()
    {
        var settling = new TemperatureSettling(30);
        for (var t = 0.0; t <= 60; t += 0.5)
        {
            // GPU 0's VRAM climbs 1 °C per 30 s; its core and GPU 1 are flat; 1 °C sensor steps on the core do not read as a trend.
            settling.Add([At(t, 0, Math.Round(70 + (0.3 * Math.Sin(t))), 100 + (t / 30)), At(t, 1, 65, 90)]);
        }

        Assert.Equal(1.0, settling.DriftC()!.Value, 3);
        settling.Reset();
        Assert.Null(settling.DriftC());
    }

    [Fact]
    public void Without_temperatures_there_is_no_drift_to_judge()
    {
        var settling = new TemperatureSettling(30);
        for (var t = 0.0; t <= 40; t += 1)
        {
            settling.Add([At(t, 0, null, null)]);
        }

        Assert.Null(settling.DriftC());
    }

    [Fact]
    public void A_first_order_approach_reads_as_settled_once_its_slope_is_small()
    {
        // τ = 90 s toward 110 °C from 33 °C: the drift over 30 s falls below 0.5 °C after about 90·ln(77·(1 − e^(−1/3))/0.5) ≈ 340 s.
        static double VramAt(double t) => 110 - (77 * Math.Exp(-t / 90));
        double DriftAt(double end)
        {
            var settling = new TemperatureSettling(30);
            for (var t = end - 30; t <= end + 1e-9; t += 0.1)
            {
                settling.Add([At(t, 0, 70, VramAt(t))]);
            }

            return settling.DriftC()!.Value;
        }

        Assert.True(DriftAt(300) > 0.5);
        Assert.True(DriftAt(380) < 0.5);
    }
}
