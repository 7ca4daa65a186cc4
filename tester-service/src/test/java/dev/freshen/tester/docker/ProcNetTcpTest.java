package dev.freshen.tester.docker;

import dev.freshen.tester.AppPorts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcNetTcpTest {

    /**
     * /proc/net/tcp and tcp6 as a busybox container shows them (Linux 6, Engine 20.10), the first lines read from
     * httpd on 127.0.0.1:8080 and 0.0.0.0:5000 and on [::]:5000; an established connection, [::1]:9000 and
     * [::ffff:127.0.0.1]:80 added.
     */
    @Test
    void readsTheListeningSocketsOfBothFilesWithTheirAddresses() throws IOException {
        List<AppPorts.Listener> listeners = ProcNetTcp.listeners(resource("/proc/net-tcp.txt"));
        assertEquals(List.of("127.0.0.1:80", "5000", "127.0.0.1:8080", "[::1]:9000"),
                listeners.stream().map(AppPorts.Listener::toString).distinct().toList());
        assertEquals(List.of(80, 5000, 5000, 8080, 9000), listeners.stream().map(AppPorts.Listener::port).toList(),
                "IPv4 and IPv6 sockets on 5000 both count; the established connection does not");
        assertTrue(listeners.get(0).loopbackOnly(), "::ffff:127.0.0.1 is loopback");
        assertFalse(listeners.get(1).loopbackOnly());
        assertTrue(listeners.get(4).loopbackOnly(), "::1 is loopback");
    }

    @Test
    void anErrorMessageInsteadOfTheFilesIsNotRead() {
        String noCat = "OCI runtime exec failed: exec failed: unable to start container process: exec: \"cat\": "
                + "executable file not found in $PATH: unknown";
        assertFalse(ProcNetTcp.looksRead(noCat));
        assertEquals(List.of(), ProcNetTcp.listeners(noCat));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ProcNetTcpTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
