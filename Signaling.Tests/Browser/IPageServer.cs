namespace Signaling.Tests.Browser;

/// <summary>A running server that serves the page in web/ and relays its calls.</summary>
internal interface IPageServer : IAsyncDisposable
{
    /// <summary>The page's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    Uri Address { get; }
}
