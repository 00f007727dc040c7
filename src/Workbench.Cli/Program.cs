using Workbench.Cli.Infrastructure;

return CommandLine.Run(args, Console.Out, Console.Error);
