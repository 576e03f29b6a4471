using Agents.Samples.Hosting;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>The listen-address check the chat app shares with the MCP server (<see cref="ListenUrls"/>).</summary>
public sealed class ListenUrlsTests
{
    [Fact]
    public void A_unix_socket_needs_no_key_as_the_running_exposure_guard_treats_it_as_local()
    {
        Assert.Empty(ListenUrls.Validate("ChatApp", "http://unix:/tmp/chat.sock", null, "http://127.0.0.1:5080", "use the app"));
    }

    [Fact]
    public void Each_problem_names_the_section_and_the_address()
    {
        var failures = ListenUrls.Validate("Mcp", "ftp://127.0.0.1:1; http://0.0.0.0:5090 ;http://localhost:5090", null, "http://127.0.0.1:5090", "spend the budget").ToList();

        Assert.Equal(
            [
                "Mcp:Urls contains 'ftp://127.0.0.1:1', which is not an http(s) address.",
                "Mcp:Urls binds 'http://0.0.0.0:5090', which is not a loopback address; set Mcp:ApiKey so that only clients with the key can spend the budget.",
            ],
            failures);
        Assert.Equal(["Mcp:Urls is empty; give at least one address such as http://127.0.0.1:5090."], ListenUrls.Validate("Mcp", " ; ", null, "http://127.0.0.1:5090", "spend the budget"));
    }
}
