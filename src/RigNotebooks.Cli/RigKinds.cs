namespace RigNotebooks.Cli;

/// <summary>Registers the non-simulated rig kinds this build of the CLI can open. The training assembly (TorchSharp,
/// libtorch) is optional: a build with -p:RigWithTraining=false leaves it out entirely and has no `cpu` rig.</summary>
internal static class RigKinds
{
    public static void RegisterAll()
    {
#if RIG_WITH_TRAINING
        RigNotebooks.Training.Rigs.TrainingRigs.Register();
#endif
    }
}
