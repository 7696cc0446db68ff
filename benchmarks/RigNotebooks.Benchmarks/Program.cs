using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/RigNotebooks.Benchmarks -- --filter '*' --job short --inProcess
// (--inProcess: on a small shared machine BenchmarkDotNet's separate build of a child project can take minutes.)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
