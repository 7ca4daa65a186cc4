import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local run's stand-in for Teams and other webhooks: saves every POST body under the given folder as
 * NNN-<path>.json and answers 202 like a Teams Workflow. Run with: java deploy/local/WebhookReceiver.java PORT DIR
 */
public class WebhookReceiver {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        AtomicInteger count = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String name = exchange.getRequestURI().getPath().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
            Files.write(dir.resolve(String.format("%03d-%s.json", count.incrementAndGet(), name)), body);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
        System.out.println("webhook receiver on http://127.0.0.1:" + port + ", saving to " + dir);
    }
}
