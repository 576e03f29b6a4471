Console.Error.WriteLine("ResearchAgent: no model is configured yet.");
return 2;
