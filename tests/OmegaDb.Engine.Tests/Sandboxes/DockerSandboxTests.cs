using OmegaDb.Sandboxes;

namespace OmegaDb.Tests.Sandboxes;

/// <summary>
/// The Docker engine needs a Docker engine with API 1.44 or later. Where none answers these
/// tests are reported as skipped, with the reason, never as passed.
/// </summary>
public sealed class DockerSandboxTests
{
    [SkippableFact]
    public async Task Docker_sandbox_starts_answers_and_is_removed()
    {
        var status = await DockerSandboxProvider.ProbeAsync(CancellationToken.None);
        Skip.IfNot(status.Available, $"No usable Docker engine: {status.Reason}");

        var sandbox = await SandboxManager.CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Docker }, new Progress<string>(), CancellationToken.None);
        try
        {
            Assert.Equal(SandboxEngine.Docker, sandbox.Engine);
            Assert.NotNull(sandbox.ContainerId);
            Assert.Equal(1, await SandboxFixture.ScalarAsync(sandbox, "SELECT 1"));
        }
        finally
        {
            await SandboxManager.RemoveAsync(sandbox, force: true, server: null, new Progress<string>(), CancellationToken.None);
        }

        Assert.DoesNotContain(SandboxManager.List(), s => s.Id == sandbox.Id);
    }

    [Fact]
    public async Task Probe_always_gives_a_reason()
    {
        var status = await DockerSandboxProvider.ProbeAsync(CancellationToken.None);
        Assert.False(string.IsNullOrWhiteSpace(status.Reason));
        if (!status.Available)
        {
            var error = await Assert.ThrowsAsync<OmegaException>(() =>
                SandboxManager.CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Docker }, new Progress<string>(), CancellationToken.None));
            Assert.Equal(DockerSandboxProvider.UnavailableErrorId, error.ErrorId);
            Assert.Contains(status.Reason, error.Message, StringComparison.Ordinal);
        }
    }
}
