namespace RigNotebooks.Simulation.Physics;

/// <summary>One simulated data-parallel training step: its time split into compute and exposed communication.</summary>
public sealed record DataParallelStep(
    int Gpus,
    bool P2P,
    double TokensPerStep,
    double ComputeTimeS,
    double CommunicationTimeS,
    double ExposedCommunicationTimeS,
    double StepTimeS,
    double TokensPerSecond,
    bool Hangs,
    string Explanation);
