using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/RigNotebooks.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
