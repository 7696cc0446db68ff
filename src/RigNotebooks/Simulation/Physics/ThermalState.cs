namespace RigNotebooks.Simulation.Physics;

/// <summary>A GPU's core and memory-junction (VRAM) temperatures.</summary>
public sealed record ThermalState(double CoreC, double VramC);
