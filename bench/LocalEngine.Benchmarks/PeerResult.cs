namespace Agents.LocalEngine.Benchmarks;

/// <summary>One decode of a peer: wall and process-CPU milliseconds per decode step, the chosen ids (comma-separated), and the engine's per-step breakdown (empty for genai).</summary>
internal sealed record PeerResult(double MsPerToken, double CpuMsPerToken, string Tokens, string Breakdown);
