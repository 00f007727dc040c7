using BenchmarkDotNet.Running;

// Each area adds its benchmark classes to this assembly; `dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*Name*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
