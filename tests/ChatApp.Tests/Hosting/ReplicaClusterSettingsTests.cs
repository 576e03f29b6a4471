using System.Net;
using Agents.Samples.ChatApp.Hosting;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>The cluster settings the chat app shares with the MCP server (<see cref="Samples.Hosting.ReplicaClusterSettings"/>).</summary>
public sealed class ReplicaClusterSettingsTests
{
    [Fact]
    public void The_chat_apps_redis_address_is_trimmed_and_loses_its_scheme_as_the_mcp_servers_does()
    {
        var options = new ChatAppClusterOptions { Redis = " redis://127.0.0.1:6379/ " };

        Assert.Equal("127.0.0.1:6379", options.RedisConfiguration);
    }

    [Fact]
    public void The_member_carries_the_settings_the_service_id_and_the_chat_apps_default_cluster_id()
    {
        var options = new ChatAppClusterOptions { Redis = "127.0.0.1:6379", SiloPort = 11112, GatewayPort = 30001, AdvertisedAddress = "10.0.0.5" };

        var member = options.Member("agents-chat");

        Assert.Equal("agents-chat", member.ClusterId);
        Assert.Equal("agents-chat", member.ServiceId);
        Assert.Equal(11112, member.SiloPort);
        Assert.Equal(30001, member.GatewayPort);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), member.AdvertisedAddress);
    }

    [Fact]
    public void Validation_names_each_bad_setting_under_the_section_it_is_given()
    {
        var options = new ChatAppClusterOptions { Redis = "127.0.0.1:6379", SiloPort = 0, GatewayPort = 0, ClusterId = " ", AdvertisedAddress = "not-an-ip" };

        var failures = options.Validate("ChatApp:Cluster").ToList();

        Assert.Equal(
            [
                "ChatApp:Cluster:SiloPort must be a port number (1-65535).",
                "ChatApp:Cluster:GatewayPort must be a port number (1-65535) other than SiloPort.",
                "ChatApp:Cluster:ClusterId must not be empty.",
                "ChatApp:Cluster:AdvertisedAddress 'not-an-ip' is not an IP address.",
            ],
            failures);
    }
}
