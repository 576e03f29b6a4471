Console.Error.WriteLine("LocalChat: the local engine is being built (issue 3).");
return 2;
