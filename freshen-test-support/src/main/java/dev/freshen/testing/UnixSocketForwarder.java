package dev.freshen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP port on 127.0.0.1 in front of a Unix socket, such as the Docker engine's {@code /var/run/docker.sock}: a
 * service given {@code DOCKER_HOST=}{@link #dockerHost()} talks to that engine through it, and a test can take the
 * engine away for that one service ({@link #stop()}: the port refuses connections and open ones are cut) and bring
 * it back ({@link #start()}, on the same port) without touching the engine everybody else uses. Bytes flow through
 * unchanged, on daemon threads. ({@link TcpFaultProxy} fronts TCP servers only.)
 */
public final class UnixSocketForwarder implements AutoCloseable {

    private final Path socket;
    private final int port;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;

    private UnixSocketForwarder(Path socket, int port) {
        this.socket = socket;
        this.port = port;
    }

    /** A forwarder to {@code socket}, listening on a free port of 127.0.0.1. */
    public static UnixSocketForwarder to(Path socket) {
        UnixSocketForwarder forwarder = new UnixSocketForwarder(socket, Ports.free());
        forwarder.start();
        return forwarder;
    }

    /** {@code tcp://127.0.0.1:<port>}, for {@code DOCKER_HOST}. */
    public String dockerHost() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Listens (again) on the same port. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            ServerSocketChannel listening = ServerSocketChannel.open();
            listening.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = listening;
            daemon("unix-forwarder-accept", () -> accept(listening));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** Stops listening and cuts every open connection: to its clients, the engine is gone. */
    public synchronized void stop() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        open.forEach(UnixSocketForwarder::closeQuietly);
        open.clear();
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocketChannel listening) {
        while (listening.isOpen()) {
            SocketChannel client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return; // stopped
            }
            try {
                SocketChannel target = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                open.add(client);
                open.add(target);
                daemon("unix-forwarder-up", () -> pump(client, target));
                daemon("unix-forwarder-down", () -> pump(target, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
