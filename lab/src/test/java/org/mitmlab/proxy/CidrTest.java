package org.mitmlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address ranges for --allow-upstream. Only literals are used: nothing here may touch DNS. */
class CidrTest {
    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8,        10.0.0.0,        true",
        "10.0.0.0/8,        10.255.255.255,  true",
        "10.0.0.0/8,        10.1.2.3,        true",
        "10.0.0.0/8,        11.0.0.0,        false",
        "10.0.0.0/8,        9.255.255.255,   false",
        "192.0.2.0/24,      192.0.2.1,       true",
        "192.0.2.0/24,      192.0.2.255,     true",
        "192.0.2.0/24,      192.0.3.0,       false",
        "172.16.0.0/12,     172.31.255.254,  true",
        "172.16.0.0/12,     172.32.0.1,      false",
        "192.0.2.128/25,    192.0.2.127,     false",
        "192.0.2.128/25,    192.0.2.200,     true",
        "192.0.2.7/32,      192.0.2.7,       true",
        "192.0.2.7/32,      192.0.2.6,       false",
        "192.0.2.7,         192.0.2.7,       true",
        "192.0.2.7,         192.0.2.8,       false",
        "0.0.0.0/0,         198.51.100.9,    true",
        "0.0.0.0/0,         ::1,             false",
        "10.9.8.7/8,        10.1.1.1,        true",
        "::1/128,           ::1,             true",
        "::1/128,           ::2,             false",
        "::1,               ::1,             true",
        "fc00::/7,          fd12:3456::1,    true",
        "fc00::/7,          fe80::1,         false",
        "2001:db8::/32,     2001:db8:ffff::1,true",
        "2001:db8::/32,     2001:db9::1,     false",
        "::/0,              2001:db8::1,     true",
        "::/0,              127.0.0.1,       false",
        "2001:db8::/32,     192.0.2.1,       false",
    })
    void contains(String range, String address, boolean expected) throws UnknownHostException {
        assertThat(Cidr.parse(range).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @Test
    void bareAddressIsASingleHost() {
        assertThat(Cidr.parse("192.0.2.7").prefix()).isEqualTo(32);
        assertThat(Cidr.parse("2001:db8::1").prefix()).isEqualTo(128);
    }

    @Test
    void surroundingSpacesAreTrimmed() throws UnknownHostException {
        Cidr c = Cidr.parse("  192.0.2.0/24 ");
        assertThat(c.prefix()).isEqualTo(24);
        assertThat(c.contains(InetAddress.getByName("192.0.2.99"))).isTrue();
    }

    @Test
    void toStringIsAddressSlashPrefix() {
        assertThat(Cidr.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("192.0.2.7")).hasToString("192.0.2.7/32");
        assertThat(Cidr.parse("2001:db8::/32").toString()).endsWith("/32");
    }

    @Test
    void equalRangesAreEqual() {
        assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(Cidr.parse(" 10.0.0.0/8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/8", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/8/8", "example.com", "example.com/24",
        "localhost", "10.0.0.0 /8", "not an address", "10.0.0.0/-1", "10.0.0.0/33",
        "::1/129", ":::", "10.0.0.0/8x"})
    void badRangesAreRejectedWithAHelpfulMessage(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void badRangeMessageQuotesTheInputAndShowsTheFormat() {
        assertThatThrownBy(() -> Cidr.parse("example.com/24")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'example.com/24'").hasMessageContaining("10.0.0.0/8");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10.0.0.0/x'");
    }

    @Test
    void prefixOutOfRangeIsRejected() throws UnknownHostException {
        InetAddress v4 = InetAddress.getByName("10.0.0.0");
        assertThatThrownBy(() -> new Cidr(v4, 33)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..32");
        assertThatThrownBy(() -> new Cidr(v4, -1)).isInstanceOf(IllegalArgumentException.class);
        InetAddress v6 = InetAddress.getByName("::");
        assertThatThrownBy(() -> new Cidr(v6, 129)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..128");
        assertThat(new Cidr(v6, 128).prefix()).isEqualTo(128);
        assertThat(new Cidr(v4, 0).prefix()).isZero();
    }
}
