namespace Agents.Samples.ChatApp.Hosting;

/// <summary>
/// Cluster mode: every replica joins one Orleans cluster over Redis and serves every conversation. Without
/// <see cref="ReplicaClusterSettings.Redis"/>, one process keeps its conversations in <see cref="ChatAppOptions.ConversationsPath"/>.
/// The cluster id defaults to <c>agents-chat</c>.
/// </summary>
internal sealed class ChatAppClusterOptions() : ReplicaClusterSettings("agents-chat");
