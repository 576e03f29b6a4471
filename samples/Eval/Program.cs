return await Agents.Samples.Eval.App.EvalApp.RunAsync(args).ConfigureAwait(false);
