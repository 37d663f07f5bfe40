namespace Signaling.Tests.EngineIo;

/// <summary>How a test host's Engine.IO WebSockets reach the server: tests of WebSockets run with each.</summary>
public enum EngineIoEntry
{
    /// <summary>Only through ASP.NET (<c>MapEngineIo</c>, <c>UseWebSockets</c>).</summary>
    HttpPipeline,

    /// <summary>Also straight from their sockets (<c>EngineIoSocketConnections</c>), as the program serves them.</summary>
    Connection,
}
