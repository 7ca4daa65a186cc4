package dev.freshen.tester.docker;

import dev.freshen.tester.AppPorts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the listening sockets out of Linux's {@code /proc/net/tcp} and {@code /proc/net/tcp6} (the kernel's
 * {@code Documentation/networking/proc_net_tcp.rst}): one line per socket after a header line; the second field is
 * the local address and port in hex ({@code 0100007F:1F90} is 127.0.0.1:8080: the address in the byte order of the
 * host, little-endian on every platform Freshen runs on, in 32-bit words for IPv6; the port big-endian), the fourth
 * field the state ({@code 0A} is LISTEN).
 */
final class ProcNetTcp {

    private static final String LISTEN = "0A";

    private ProcNetTcp() {
    }

    /** The listening sockets in {@code text} (the content of one or both files, one after the other), by port. */
    static List<AppPorts.Listener> listeners(String text) {
        Set<AppPorts.Listener> found = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 4 || !fields[0].endsWith(":") || !LISTEN.equals(fields[3])) {
                continue; // a header, a socket in another state, or not a socket line at all
            }
            int colon = fields[1].indexOf(':');
            if (colon < 0) {
                continue;
            }
            InetAddress address = address(fields[1].substring(0, colon));
            if (address != null) {
                found.add(new AppPorts.Listener(address, Integer.parseInt(fields[1].substring(colon + 1), 16)));
            }
        }
        List<AppPorts.Listener> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(AppPorts.Listener::port).thenComparing(l -> l.address().getHostAddress()));
        return sorted;
    }

    /** True when {@code text} is what the files hold (their header line), not an error message instead. */
    static boolean looksRead(String text) {
        return text.contains("local_address");
    }

    private static InetAddress address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        byte[] raw;
        try {
            raw = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
        byte[] bytes = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) { // each 32-bit word in host (little-endian) order
            for (int i = 0; i < 4; i++) {
                bytes[word + i] = raw[word + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(bytes); // an IPv4-mapped IPv6 address becomes the IPv4 address
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
