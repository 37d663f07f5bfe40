using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signaling.Tests.Deploy;

/// <summary>A certificate for 127.0.0.1 and localhost made for one test, written as PEM files for a proxy.</summary>
internal sealed class SelfSignedCertificate
{
    private SelfSignedCertificate(string certificatePem, string keyPem)
    {
        CertificatePem = certificatePem;
        KeyPem = keyPem;
    }

    public string CertificatePem { get; }

    public string KeyPem { get; }

    public static SelfSignedCertificate Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        return new SelfSignedCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>An HTTP client that trusts this certificate and nothing else.</summary>
    public HttpClient CreateHttpClient(bool followRedirects = true)
    {
        var trusted = X509Certificate2.CreateFromPem(CertificatePem);
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = followRedirects,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawData.AsSpan().SequenceEqual(trusted.RawData),
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }
}
