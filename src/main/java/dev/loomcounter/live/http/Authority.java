package dev.loomcounter.live.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Writes an address the way a URL needs it (RFC 3986 section 3.2.2): an IPv6 address in brackets, since its colons
 * would otherwise run into the port's. {@code http://0:0:0:0:0:0:0:1:7080/} is no address a browser accepts;
 * {@code http://[0:0:0:0:0:0:0:1]:7080/} is.
 */
public final class Authority {

    private Authority() {
    }

    /** {@code 127.0.0.1} or {@code [::1]}-style: the host part of a URL, for a literal address. */
    public static String host(InetAddress address) {
        String literal = address.getHostAddress();
        if (address instanceof Inet6Address) {
            // A zone ("%eth0") means something only on this machine, and browsers do not take it in a URL.
            int zone = literal.indexOf('%');
            return "[" + (zone < 0 ? literal : literal.substring(0, zone)) + "]";
        }
        return literal;
    }

    /** {@code host:port}, the host as {@link #host} writes it. */
    public static String of(InetAddress address, int port) {
        return host(address) + ":" + port;
    }

    /**
     * The address a browser on this machine can open for a server bound to {@code bound}: a wildcard address
     * ({@code 0.0.0.0}, {@code ::}) is where a server listens, not an address to connect to, so its URL names the
     * loopback address of the same family instead.
     */
    public static InetAddress reachable(InetAddress bound) {
        if (!bound.isAnyLocalAddress()) {
            return bound;
        }
        return bound instanceof Inet6Address ? ipv6Loopback() : ipv4Loopback();
    }

    private static InetAddress ipv4Loopback() {
        return literal(new byte[] {127, 0, 0, 1});
    }

    private static InetAddress ipv6Loopback() {
        byte[] bytes = new byte[16];
        bytes[15] = 1;
        return literal(bytes);
    }

    private static InetAddress literal(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("a literal address of 4 or 16 bytes always parses", e);
        }
    }
}
