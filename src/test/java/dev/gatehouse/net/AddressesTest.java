package dev.gatehouse.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One address parser and one CIDR type for source_ip and trusted proxies: they cannot disagree. */
class AddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"010.0.0.1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ",
            "0x7f.0.0.1", "::ffff:010.0.0.1", "fe80::1%eth0", "example.com", "", "[::1", "1::2::3", "::g"})
    void refusedEverywhere(String text) {
        assertThat(IpAddresses.parse(text)).as("address %s", text).isNull();
        assertThat(Cidr.parse(text)).as("network %s", text).isNull();
        assertThat(TrustedProxies.parseHop(text)).as("hop %s", text).isNull();
    }

    @Test
    void trustedProxiesRefuseWhatSourceIpRefuses() {
        for (String spec : List.of("010.0.0.0/8", "10.0.0.0/33", "::ffff:10.0.0.0/95", "10.0.0.0/")) {
            assertThat(Cidr.parse(spec)).as(spec).isNull();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.of(List.of(spec)))
                    .hasMessageContaining(spec);
        }
    }

    @Test
    void mappedAddressesAreTheirIpv4AddressEverywhere() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        InetAddress peer = Inet6Address.getByAddress(null, mapped, -1); // as a dual-stack socket reports it
        assertThat(peer).isInstanceOf(Inet6Address.class);
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8"));
        assertThat(proxies.trusts(peer)).as("a mapped peer is trusted by an IPv4 network").isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(peer)).isTrue();
        assertThat(Cidr.parse("::ffff:10.0.0.0/104").contains(IpAddresses.parse("10.1.2.3"))).isTrue();
        assertThat(IpAddresses.limitKey(peer)).isEqualTo("10.0.0.1");
    }

    @ParameterizedTest
    @CsvSource({"203.0.113.9:8080, 203.0.113.9", "[2001:db8::1]:443, 2001:db8:0:0:0:0:0:1",
            "[2001:db8::1], 2001:db8:0:0:0:0:0:1", "2001:db8::1, 2001:db8:0:0:0:0:0:1"})
    void aValidPortIsStrippedFromAHop(String hop, String address) {
        assertThat(TrustedProxies.parseHop(hop).getHostAddress()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.9:0", "203.0.113.9:65536", "203.0.113.9:", "[2001:db8::1]:", "[2001:db8::1]:x",
            "unknown", "_hidden"})
    void aBadPortOrTokenIsNoAddress(String hop) {
        assertThat(TrustedProxies.parseHop(hop)).isNull();
    }

    @Test
    void anUnparseableHopBehindTrustedProxiesMeansAnUnknownClient() {
        TrustedProxies proxies = TrustedProxies.of(List.of("127.0.0.0/8", "10.0.0.0/8"));
        InetAddress peer = IpAddresses.parse("127.0.0.1");
        assertThat(proxies.clientAddress(peer, List.of("unknown"))).isNull();
        assertThat(proxies.clientAddress(peer, List.of("203.0.113.7", "unknown, 10.0.0.2"))).isNull();
        assertThat(proxies.clientAddress(peer, List.of("10.0.0.5"))).as("only proxies: nobody said who the client is").isNull();
        assertThat(proxies.clientAddress(peer, List.of("unknown, 203.0.113.7", "10.0.0.2")))
                .as("garbage left of the client does not matter").isEqualTo(IpAddresses.parse("203.0.113.7"));
        assertThat(proxies.clientAddress(IpAddresses.parse("198.51.100.1"), List.of("203.0.113.7")))
                .as("an untrusted peer's header is ignored").isEqualTo(IpAddresses.parse("198.51.100.1"));
    }

    @Test
    void ipv6LimitKeysAreTheSlash64() {
        assertThat(IpAddresses.limitKey(IpAddresses.parse("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1:2::/64");
        assertThat(IpAddresses.limitKey(IpAddresses.parse("2001:db8:1:2::ffff")))
                .isEqualTo(IpAddresses.limitKey(IpAddresses.parse("2001:db8:1:2:abcd::1")));
        assertThat(IpAddresses.limitKey(IpAddresses.parse("192.0.2.1"))).isEqualTo("192.0.2.1");
    }
}
