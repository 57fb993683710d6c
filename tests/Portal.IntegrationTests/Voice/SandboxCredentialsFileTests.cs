using Portal.Web.Telephony;

namespace Portal.IntegrationTests.Voice;

/// <summary>The keyless sandbox auth token is readable by the app's user only.</summary>
public sealed class SandboxCredentialsFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "portal-sandbox-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void NewTokenFile_IsCreatedReadableByTheOwnerOnly()
    {
        var path = Path.Combine(_folder, SandboxCredentials.FileName);

        var token = SandboxCredentials.LoadOrCreate(path);

        Assert.Equal(32, token.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void ExistingWorldReadableTokenFile_IsNarrowedTo0600_AndItsTokenKept()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, SandboxCredentials.FileName);
        File.WriteAllText(path, "00112233445566778899aabbccddeeff");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // 0644
        }

        var token = SandboxCredentials.LoadOrCreate(path);

        Assert.Equal("00112233445566778899aabbccddeeff", token);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
