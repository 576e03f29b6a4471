return await Agents.Samples.ResearchAgent.ResearchAgentApp.RunAsync(args).ConfigureAwait(false);
