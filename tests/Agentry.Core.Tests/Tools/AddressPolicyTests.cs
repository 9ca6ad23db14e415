using System.Net;
using Agentry.Core.Tools.Browse;

namespace Agentry.Core.Tests.Tools;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("fec0::1", "private")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("100.64.0.1", "CGNAT")]
    [InlineData("100.100.100.200", "CGNAT")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("192.0.0.192", "reserved")]
    [InlineData("::ffff:127.0.0.1", "loopback address in IPv4-mapped")]
    [InlineData("::ffff:169.254.169.254", "cloud metadata address in IPv4-mapped")]
    [InlineData("::ffff:10.0.0.1", "private address in IPv4-mapped")]
    [InlineData("::127.0.0.1", "loopback address in IPv4-compatible")]
    [InlineData("64:ff9b::a00:1", "private address in NAT64")]
    [InlineData("2002:7f00:1::", "loopback address in 6to4")]
    public void Classify_NonPublicAddress_NamesItsClass(string address, string expected)
    {
        AddressPolicy.Classify(IPAddress.Parse(address)).ShouldNotBeNull().ShouldContain(expected);
        new AddressPolicy([], []).RefusalOf(IPAddress.Parse(address)).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Classify_PublicAddress_IsAllowed(string address)
    {
        AddressPolicy.Classify(IPAddress.Parse(address)).ShouldBeNull();
        new AddressPolicy([], []).RefusalOf(IPAddress.Parse(address)).ShouldBeNull();
    }

    [Fact]
    public void AllowedNetworks_OpenTheirAddresses_IncludingTheIPv4MappedForm_AndNothingElse()
    {
        var policy = new AddressPolicy(["wiki.internal"], ["10.1.0.0/16", "fd12::/64"]);

        policy.RefusalOf(IPAddress.Parse("10.1.200.3")).ShouldBeNull();
        policy.RefusalOf(IPAddress.Parse("::ffff:10.1.0.7")).ShouldBeNull();
        policy.RefusalOf(IPAddress.Parse("fd12::5")).ShouldBeNull();
        policy.RefusalOf(IPAddress.Parse("10.2.0.1")).ShouldNotBeNull();
        policy.RefusalOf(IPAddress.Parse("169.254.169.254")).ShouldNotBeNull();

        policy.IsAllowedHost("WIKI.internal.").ShouldBeTrue();
        policy.IsAllowedHost("wiki.internal.evil.example").ShouldBeFalse();
    }
}
