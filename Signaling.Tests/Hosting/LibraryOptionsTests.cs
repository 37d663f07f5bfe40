using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Signaling.Server.EngineIo;
using Signaling.Server.SocketIo;

namespace Signaling.Tests.Hosting;

/// <summary>
/// <c>AddSocketIo()</c> in an app of its own reads the EngineIo and SocketIo sections as the
/// program does: the same duration forms, and every mistake named in one line before anything is served.
/// </summary>
public sealed class LibraryOptionsTests
{
    [Test]
    public async Task The_sections_bind_with_the_programs_duration_forms_and_the_callbacks_come_last()
    {
        await using var app = Build(new()
        {
            ["EngineIo:PingInterval"] = "7s",
            ["EngineIo:Transports:0"] = "websocket",
            ["SocketIo:ConnectTimeout"] = "1500ms",
            ["SocketIo:MaxJsonDepth"] = "8",
        }, io => io.ConfigureEngineIo(o => o.PingTimeout = TimeSpan.FromSeconds(3)), o => o.MaxJsonDepth = 9);

        var engine = app.Services.GetRequiredService<IOptions<EngineIoOptions>>().Value;
        var socket = app.Services.GetRequiredService<IOptions<SocketIoOptions>>().Value;
        Assert.Multiple(() =>
        {
            Assert.That(engine.PingInterval, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(engine.PingTimeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(engine.Transports, Is.EqualTo(new[] { "websocket" }));
            Assert.That(socket.ConnectTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
            Assert.That(socket.MaxJsonDepth, Is.EqualTo(9), "the AddSocketIo callback runs after the configuration");
            Assert.That(app.Services.GetRequiredService<SocketIoServer>().Options, Is.SameAs(socket));
        });
    }

    [Test]
    public async Task Every_mistake_in_the_sections_is_one_line_and_nothing_is_served()
    {
        await using var app = Build(new()
        {
            ["EngineIo:PingInterval"] = "soon",
            ["EngineIo:PingTimout"] = "5s",
        });

        var failure = Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        var failures = string.Join("\n", failure!.Failures);
        Assert.That(failures, Does.Contain("EngineIo:PingInterval=soon is not a duration"));
        Assert.That(failures, Does.Contain("unknown option EngineIo:PingTimout; did you mean EngineIo:PingTimeout?"));
    }

    [Test]
    public async Task A_rule_of_an_options_class_fails_as_soon_as_the_server_is_mapped()
    {
        await using var app = Build(new() { ["EngineIo:MaxHttpBufferSize"] = "0" });

        var failure = Assert.Throws<OptionsValidationException>(() => app.MapSocketIo("/socket.io/"));

        Assert.That(failure!.Failures, Is.EqualTo(new[] { "EngineIo:MaxHttpBufferSize=0 must be a positive number of bytes" }));
    }

    [Test]
    public void MapSignaling_without_AddSignaling_says_what_is_missing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSocketIo();
        var app = builder.Build();

        var failure = Assert.Throws<InvalidOperationException>(() => app.MapSignaling());

        Assert.That(failure!.Message, Does.Contain("AddSignaling()"));
    }

    private static WebApplication Build(Dictionary<string, string?> settings, Action<ISocketIoServerBuilder>? more = null, Action<SocketIoOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        var io = builder.Services.AddSocketIo(configure);
        more?.Invoke(io);
        return builder.Build();
    }
}
