using CacheFs.Cli.Cache;

namespace CacheFs.Cli.Tests.Cache;

public sealed class MountTargetTests
{
    private static readonly MountTarget Target = new("/var/cache/team", "/mnt/team");

    [Theory]
    [InlineData("/mnt/team", "")]
    [InlineData("/mnt/team/", "")]
    [InlineData("/mnt/team/shots/day1", "shots/day1")]
    [InlineData("/mnt/team/shots/../refs", "refs")]
    public void Relative_PathInsideTheMount_FromItsRoot(string path, string expected)
    {
        Target.Relative(path, out var problem).Should().Be(expected, problem);
    }

    [Fact]
    public void Relative_AbsolutePathElsewhere_Refused()
    {
        Target.Relative("/mnt/teamwork/a", out var problem).Should().BeNull();
        problem.Should().Be("/mnt/teamwork/a is not inside the mount /mnt/team");
    }

    [Fact]
    public void Relative_RelativePathOutsideTheMount_TakenFromTheMountsRoot()
    {
        Directory.GetCurrentDirectory().Should().NotStartWith("/mnt/team");

        Target.Relative("shots/day1", out _).Should().Be("shots/day1");
    }

    [Fact]
    public void Relative_NoMountPoint_PathFromTheRoot()
    {
        new MountTarget("/var/cache/team", null).Relative("/shots/day1/", out _).Should().Be("shots/day1");
    }

    [Fact]
    public void Find_NoMountAtThatPath_SaysWhatToDo()
    {
        MountTarget.Find("/no/such/mount", null, out var problem).Should().BeNull();

        problem.Should().Be("no mount at /no/such/mount; is `cachefs mount` running?");
    }
}
