using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signaling.Tests.Hosting;

/// <summary>A self-signed certificate for 127.0.0.1 and localhost, written as PEM files (certificate and key) in a folder of its own.</summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("signaling-cert-").FullName;

    public TestCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        // Its own authority: clients are given it as the CA to trust.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Pem = certificate.ExportCertificatePem();
        File.WriteAllText(CertificatePath, Pem);
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        Thumbprint = certificate.Thumbprint;
    }

    public string Pem { get; }

    public string Thumbprint { get; }

    public string CertificatePath => Path.Combine(_folder, "cert.pem");

    public string KeyPath => Path.Combine(_folder, "key.pem");

    /// <summary>The command-line options that make the server use it.</summary>
    public string[] Options => [$"--Kestrel:Certificates:Default:Path={CertificatePath}", $"--Kestrel:Certificates:Default:KeyPath={KeyPath}"];

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
