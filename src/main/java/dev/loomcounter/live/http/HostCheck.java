package dev.loomcounter.live.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which names in the {@code Host} field this server answers to: a defence against DNS rebinding.
 *
 * <p>The attack: a web page on {@code attacker.example} makes the browser load {@code http://attacker.example:7080/},
 * then changes what the name resolves to, to {@code 127.0.0.1}. The browser still thinks it talks to
 * {@code attacker.example}, so the same-origin policy lets that page read the answers: the thread dump of a server on
 * the victim's own machine. The browser does send {@code Host: attacker.example:7080} though, and a server that only
 * answers to its own names turns the attack away with {@code 421 Misdirected Request}.
 */
public final class HostCheck {

    private static final Pattern PORT = Pattern.compile("[0-9]*");

    private final Set<String> names;

    private HostCheck(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    /**
     * The names of a server bound to {@code bound}: the loopback names and the bound address itself; and when it is
     * bound to every interface or to a non-loopback one, this machine's addresses and its host name too.
     */
    public static HostCheck forAddress(InetAddress bound) {
        Set<String> names = new HashSet<>();
        for (String loopback : new String[] {"localhost", "127.0.0.1", "[::1]"}) {
            names.add(normal(loopback));
        }
        names.add(normal(Authority.host(bound)));
        if (!bound.isLoopbackAddress()) {
            try {
                NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                        .forEach(address -> names.add(normal(Authority.host(address))));
            } catch (SocketException e) {
                // no interfaces to list: the loopback names and the bound address remain
            }
            try {
                InetAddress local = InetAddress.getLocalHost();
                names.add(normal(local.getHostName()));
                names.add(normal(local.getCanonicalHostName()));
            } catch (IOException e) {
                // a machine whose own name does not resolve: it is reached by address
            }
        }
        return new HostCheck(names);
    }

    /**
     * True if {@code authority} ({@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}) names this
     * server. The port is not compared: behind an SSH tunnel the browser names the tunnel's port, not the server's.
     */
    public boolean accepts(String authority) {
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = authority.substring(0, close + 1);
            port = authority.substring(close + 1);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon);
        }
        if (!port.isEmpty() && !(port.startsWith(":") && PORT.matcher(port.substring(1)).matches())) {
            return false;
        }
        return names.contains(normal(host));
    }

    /**
     * One spelling per name: lower case, without the trailing dot of a fully qualified name ({@code localhost.}), an
     * IPv6 address in one form ({@code [::1]} and {@code [0:0:0:0:0:0:0:1]} are the same address).
     */
    private static String normal(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.startsWith("[") && lower.endsWith("]")) {
            try {
                // ofLiteral parses an address and never asks DNS: a Host field must not make the server look names up.
                return Authority.host(InetAddress.ofLiteral(lower.substring(1, lower.length() - 1)));
            } catch (IllegalArgumentException e) {
                return lower;
            }
        }
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
