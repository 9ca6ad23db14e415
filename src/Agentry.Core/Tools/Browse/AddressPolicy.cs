using System.Net;
using System.Net.Sockets;

namespace Agentry.Core.Tools.Browse;

/// <summary>
/// Decides which addresses <c>browseWebsite</c> may connect to. Every address that is not public unicast is refused
/// (loopback, private, link-local, cloud metadata, CGNAT, multicast, unspecified, reserved), including IPv4 addresses
/// hidden inside IPv6 forms (mapped, compatible, NAT64, 6to4), unless configuration allows its host or network.
/// The check runs on resolved addresses at connect time, so a name that resolves to a refused address is refused too.
/// </summary>
public sealed class AddressPolicy
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    private static readonly (IPNetwork Network, string Class)[] BlockedV4 =
    [
        (IPNetwork.Parse("169.254.169.254/32"), "a cloud metadata address"),
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified (this-network) address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (CGNAT) address"),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved (IETF protocol) address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a reserved (benchmarking) address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved (or broadcast) address"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork UniqueLocal = IPNetwork.Parse("fc00::/7");
    private static readonly IPNetwork LinkLocalV6 = IPNetwork.Parse("fe80::/10");
    private static readonly IPNetwork SiteLocalV6 = IPNetwork.Parse("fec0::/10");
    private static readonly IPNetwork MulticastV6 = IPNetwork.Parse("ff00::/8");
    private static readonly IPNetwork CompatibleV4 = IPNetwork.Parse("::/96");

    private readonly HashSet<string> _allowedHosts;
    private readonly IPNetwork[] _allowedNetworks;

    public AddressPolicy(IEnumerable<string> allowedHosts, IEnumerable<string> allowedNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedHosts);
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        _allowedHosts = allowedHosts.Select(host => host.Trim().TrimEnd('.')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _allowedNetworks = [.. allowedNetworks.Select(network => IPNetwork.Parse(network.Trim()))];
    }

    /// <summary>Whether configuration opens <paramref name="host"/> whatever it resolves to.</summary>
    public bool IsAllowedHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return _allowedHosts.Contains(host.Trim('[', ']').TrimEnd('.'));
    }

    /// <summary>Why <paramref name="address"/> is refused, or null when it may be connected to.</summary>
    public string? RefusalOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_allowedNetworks.Any(network => network.Contains(plain) || network.Contains(address)))
        {
            return null;
        }

        return Classify(address);
    }

    /// <summary>The class of a non-public address (e.g. "a loopback address"), or null for a public unicast address.</summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            foreach (var (network, addressClass) in BlockedV4)
            {
                if (network.Contains(address))
                {
                    return addressClass;
                }
            }

            return null;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Embedded(address.MapToIPv4(), "IPv4-mapped");
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "an unspecified address";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "a loopback address";
        }

        if (address.Equals(AwsMetadataV6))
        {
            return "a cloud metadata address";
        }

        if (UniqueLocal.Contains(address) || SiteLocalV6.Contains(address))
        {
            return "a private address";
        }

        if (LinkLocalV6.Contains(address))
        {
            return "a link-local address";
        }

        if (MulticastV6.Contains(address))
        {
            return "a multicast address";
        }

        var bytes = address.GetAddressBytes();
        if (CompatibleV4.Contains(address))
        {
            // The deprecated IPv4-compatible form ::a.b.c.d.
            return Embedded(new IPAddress(bytes.AsSpan(12, 4)), "IPv4-compatible");
        }

        if (Nat64.Contains(address))
        {
            return Embedded(new IPAddress(bytes.AsSpan(12, 4)), "NAT64");
        }

        if (SixToFour.Contains(address))
        {
            return Embedded(new IPAddress(bytes.AsSpan(2, 4)), "6to4");
        }

        return null;
    }

    private static string? Embedded(IPAddress v4, string form) =>
        Classify(v4) is { } addressClass ? $"{addressClass} in {form} IPv6 form" : null;
}
