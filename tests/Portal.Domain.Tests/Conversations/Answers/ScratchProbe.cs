using Portal.Domain.Entities;
using Xunit.Abstractions;

namespace Portal.Domain.Tests.Conversations.Answers;

public sealed class ScratchProbe(ITestOutputHelper output)
{
    [Fact]
    public async Task Probe()
    {
        var lines = File.ReadAllLines("/tmp/probe.txt");
        foreach (var line in lines)
        {
            var parts = line.Split('|');
            var h = AnswerBusinesses.Create(parts[0], parts[1] == "v" ? Channel.Voice : Channel.WebChat);
            foreach (var u in parts.Skip(2))
            {
                await h.SayAsync(u);
            }

            output.WriteLine(h.Dump());
            output.WriteLine("");
        }
    }
}
