package dev.freshen.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry endpoint of the ECR double ({@code <account>.dkr.ecr.<region>.amazonaws.com}, which AWS calls "the
 * Amazon ECR proxy"): a reverse proxy on 127.0.0.1 in front of the real registry that takes the tokens
 * {@code GetAuthorizationToken} handed out as basic credentials, maps every distribution API request to the ECR IAM
 * action(s) AWS authorizes it as, records them for the token's principal ({@link IamRecording}) and forwards the request
 * with the registry's own credentials.
 *
 * <p>The mapping, from the Amazon ECR User Guide (pushing and pulling images, blob mounting) and the ECR API Reference
 * (the layer operations "used by the Amazon ECR proxy"):
 * <ul>
 *   <li>{@code GET|HEAD /v2/<repo>/manifests/<ref>}: {@code ecr:BatchGetImage}; {@code PUT}: {@code ecr:PutImage};
 *       {@code DELETE}: {@code ecr:BatchDeleteImage}</li>
 *   <li>{@code HEAD /v2/<repo>/blobs/<digest>}: {@code ecr:BatchCheckLayerAvailability}; {@code GET}:
 *       {@code ecr:GetDownloadUrlForLayer}</li>
 *   <li>{@code POST /v2/<repo>/blobs/uploads/}: {@code ecr:InitiateLayerUpload}; with {@code ?mount=&from=<source>}
 *       also {@code ecr:GetDownloadUrlForLayer} on the source ("Users need ecr:GetDownloadUrlForLayer IAM permission on
 *       a repository to mount layers from the repository")</li>
 *   <li>{@code PATCH /v2/<repo>/blobs/uploads/<id>}: {@code ecr:UploadLayerPart}; {@code PUT ...?digest=}:
 *       {@code ecr:CompleteLayerUpload}, and {@code ecr:UploadLayerPart} too when the PUT carries bytes (a monolithic
 *       upload: inferred, AWS documents no mapping for it)</li>
 *   <li>{@code GET /v2/<repo>/tags/list}: {@code ecr:ListImages}; {@code GET /v2/_catalog}:
 *       {@code ecr:DescribeRepositories}</li>
 *   <li>{@code GET /v2/}, and reading or cancelling one's own upload session: no action beyond the token</li>
 * </ul>
 * A request it cannot map is still forwarded, and recorded as the pseudo action {@code unmapped:<METHOD> <path>}, so
 * that a policy check fails on it instead of passing silently.
 *
 * <p>The registry's own credentials are accepted too, unrecorded: the test acting as an administrator outside IAM.
 * Without valid credentials it answers 401 with a Basic challenge, as ECR does. With {@link #blobMounting} off it
 * behaves as ECR does before a registry turns blob mounting on: a mount request opens a plain upload session (202).
 */
final class EcrRegistryProxy implements AutoCloseable {

    private static final Pattern API = Pattern.compile(
            "/v2/(.+?)/(manifests/[^/]+|blobs/uploads/?[^/]*|blobs/[^/]+|tags/list)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final RegistryForwarder forwarder;
    private final String tokenUser;
    private final String backendAuthorization;
    private final Function<String, String> principalOfToken;
    private final IamRecording recording;
    private final String repositoryArnPrefix;
    private volatile boolean blobMounting = true;

    /**
     * @param backend             the real registry
     * @param backendUser         its user, also ECR's token user ({@code AWS})
     * @param principalOfToken    the principal a token (the password part) was handed to, or null for none
     * @param repositoryArnPrefix {@code arn:aws:ecr:<region>:<account>:repository/}
     */
    EcrRegistryProxy(URI backend, String backendUser, String backendPassword, Function<String, String> principalOfToken,
                     IamRecording recording, String repositoryArnPrefix) {
        this.tokenUser = backendUser;
        this.backendAuthorization = basic(backendUser, backendPassword);
        this.forwarder = new RegistryForwarder(backend, backendAuthorization);
        this.principalOfToken = principalOfToken;
        this.recording = recording;
        this.repositoryArnPrefix = repositoryArnPrefix;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ECR registry endpoint", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code 127.0.0.1:<port>}: the registry host as in image references. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void blobMounting(boolean enabled) {
        this.blobMounting = enabled;
    }

    /**
     * The IAM actions a distribution API request is authorized as, each with its resource ARN (see the class comment).
     *
     * @param repositoryArnPrefix {@code arn:aws:ecr:<region>:<account>:repository/}
     * @param hasBody             whether the request carries bytes
     * @return IAM action to resource ARN, in the order AWS would evaluate them; empty for requests that need only the token
     */
    static Map<String, String> actions(String repositoryArnPrefix, String method, String path, String rawQuery,
                                       boolean hasBody) {
        Map<String, String> actions = new LinkedHashMap<>();
        if (path.equals("/v2/") || path.equals("/v2")) {
            return actions;
        }
        if (path.equals("/v2/_catalog")) {
            actions.put("ecr:DescribeRepositories", repositoryArnPrefix + "*");
            return actions;
        }
        Matcher api = API.matcher(path);
        if (!api.matches()) {
            actions.put("unmapped:" + method + " " + path, "*");
            return actions;
        }
        String repository = repositoryArnPrefix + api.group(1);
        String kind = api.group(2);
        Map<String, String> query = query(rawQuery);
        String action = null;
        if (kind.startsWith("manifests/")) {
            action = switch (method) {
                case "GET", "HEAD" -> "ecr:BatchGetImage";
                case "PUT" -> "ecr:PutImage";
                case "DELETE" -> "ecr:BatchDeleteImage";
                default -> null;
            };
        } else if (kind.equals("tags/list")) {
            action = method.equals("GET") ? "ecr:ListImages" : null;
        } else if (kind.startsWith("blobs/uploads")) {
            boolean session = !kind.equals("blobs/uploads/") && !kind.equals("blobs/uploads");
            switch (method) {
                case "POST" -> {
                    action = session ? null : "ecr:InitiateLayerUpload";
                    if (!session && query.containsKey("mount") && query.containsKey("from")) {
                        actions.put("ecr:GetDownloadUrlForLayer", repositoryArnPrefix + query.get("from"));
                    }
                    if (!session && query.containsKey("digest")) {
                        actions.put("ecr:UploadLayerPart", repository);
                        actions.put("ecr:CompleteLayerUpload", repository);
                    }
                }
                case "PATCH" -> action = session ? "ecr:UploadLayerPart" : null;
                case "PUT" -> {
                    action = session ? "ecr:CompleteLayerUpload" : null;
                    if (session && hasBody) {
                        actions.put("ecr:UploadLayerPart", repository);
                    }
                }
                case "GET", "DELETE" -> {
                    if (session) {
                        return actions; // the state of, or the end of, an upload the caller opened
                    }
                }
                default -> {
                }
            }
        } else {
            action = switch (method) {
                case "HEAD" -> "ecr:BatchCheckLayerAvailability";
                case "GET" -> "ecr:GetDownloadUrlForLayer";
                default -> null;
            };
        }
        if (action == null) {
            actions.put("unmapped:" + method + " /v2/<repository>/" + kind.replaceAll("/[^/]+$", "/<reference>"), repository);
        } else {
            actions.put(action, repository);
        }
        return actions;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String principal = null;
            boolean administrator = backendAuthorization.equals(authorization);
            if (!administrator && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                principal = principalOf(authorization.substring(6).trim());
            }
            if (!administrator && principal == null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"https://" + host()
                        + "/\",service=\"ecr.amazonaws.com\"");
                exchange.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                byte[] error = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"Not Authorized\"}]}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            if (principal != null) {
                String who = principal;
                actions(repositoryArnPrefix, method, uri.getRawPath(), uri.getRawQuery(), body.length > 0)
                        .forEach((action, resource) -> recording.record(who, action, resource));
            }
            forward(exchange, method, uri, body);
        }
    }

    private void forward(HttpExchange exchange, String method, URI uri, byte[] body) throws IOException {
        String query = uri.getRawQuery();
        if (!blobMounting && method.equals("POST") && query != null && query.contains("mount=")) {
            query = null; // as ECR without blob mounting: a plain upload session instead of the mount
        }
        forwarder.relay(exchange, method, forwarder.send(exchange, method, query, body), host());
    }

    private String principalOf(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 || !decoded.substring(0, colon).equals(tokenUser) ? null
                : principalOfToken.apply(decoded.substring(colon + 1));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
