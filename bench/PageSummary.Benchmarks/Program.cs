using Agents.PageSummary.Benchmarks;

// Page summarisation on the offline web with pages 10x today's size, measured with scripted models:
//   dotnet run -c Release --project bench/PageSummary.Benchmarks -- [--questions 20] [--budgets 2,4,8,16] [--size 10] [--seed 42] [--parallel 2]
// Prints the Eval grid's table for both settings (raw pages, summarised pages) and their ratios, measured in the same run.
return await SummaryBench.RunAsync(args);
