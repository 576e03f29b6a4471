namespace Agents.LocalEngine.Benchmarks;

/// <summary>One decode of a peer: wall and process-CPU milliseconds per decode step, and the chosen ids (comma-separated).</summary>
internal sealed record PeerResult(double MsPerToken, double CpuMsPerToken, string Tokens);
