package dev.loomcounter.live.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which Host fields a server answers to, for a loopback and a wildcard bind. */
class HostCheckTest {

    @Test
    void onLoopbackTheLoopbackNamesWithAnyPortOrNone() {
        HostCheck check = HostCheck.forAddress(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(check.accepts("localhost")).isTrue();
        assertThat(check.accepts("LocalHost:7080")).isTrue();
        assertThat(check.accepts("127.0.0.1:9")).isTrue();
        assertThat(check.accepts("[::1]:7080")).isTrue();
        assertThat(check.accepts("[0:0:0:0:0:0:0:1]")).isTrue();
        assertThat(check.accepts("attacker.example")).isFalse();
        assertThat(check.accepts("attacker.example:7080")).isFalse();
        assertThat(check.accepts("localhost:port")).isFalse();
        assertThat(check.accepts("localhost.attacker.example")).isFalse();
        assertThat(check.accepts("[::1")).isFalse();
        assertThat(check.accepts("")).isFalse();
    }

    @Test
    void onEveryInterfaceThisMachinesOwnAddressesToo() throws Exception {
        HostCheck check = HostCheck.forAddress(InetAddress.ofLiteral("0.0.0.0"));
        assertThat(check.accepts("127.0.0.1:7080")).isTrue();
        assertThat(check.accepts("0.0.0.0:7080")).isTrue();
        InetAddress local = InetAddress.getLocalHost();
        assertThat(check.accepts(Authority.host(local) + ":7080")).isTrue();
        assertThat(check.accepts("attacker.example")).isFalse();
    }
}
