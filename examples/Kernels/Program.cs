Console.WriteLine("kernels example: not built yet");
