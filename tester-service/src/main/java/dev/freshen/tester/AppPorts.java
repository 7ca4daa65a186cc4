package dev.freshen.tester;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the test application's container listens on: its listening TCP sockets, when they could be read
 * ({@code listening} empty when not; see {@code docker.ContainerSockets} for how), and the ports its image declares
 * with {@code EXPOSE} (a hint only: an image may listen elsewhere).
 */
public record AppPorts(Optional<List<Listener>> listening, List<Integer> exposed) {

    public AppPorts {
        listening = listening.map(List::copyOf);
        exposed = List.copyOf(exposed);
    }

    /** A listening TCP socket: the address it is bound to, and its port. */
    public record Listener(InetAddress address, int port) {

        /** Bound to a loopback address: nothing outside the container can reach it, not even a published port. */
        public boolean loopbackOnly() {
            return address.isLoopbackAddress();
        }

        /** {@code 5000} for any address, {@code 127.0.0.1:5000} or {@code [::1]:5000} for one address. */
        @Override
        public String toString() {
            if (address.isAnyLocalAddress()) {
                return Integer.toString(port);
            }
            if (address instanceof Inet6Address) {
                return "[" + (address.isLoopbackAddress() ? "::1" : address.getHostAddress()) + "]:" + port;
            }
            return address.getHostAddress() + ":" + port;
        }
    }
}
