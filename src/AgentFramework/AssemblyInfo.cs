using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Agents.AgentFramework.Tests")]
