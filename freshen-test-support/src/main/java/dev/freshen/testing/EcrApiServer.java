package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freshen.events.image.ImageReference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A stand-in for AWS ECR on 127.0.0.1 (no ECR emulator exists here), in two parts as ECR has them:
 * <ul>
 *   <li>the ECR API ({@link #endpoint()}): the AWS JSON 1.1 protocol ({@code POST /},
 *       {@code X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>},
 *       {@code Content-Type: application/x-amz-json-1.1}, errors as HTTP 400 {@code {"__type": ..., "message": ...}})
 *       for {@code DescribeRepositories}, {@code CreateRepository}, {@code ListImages} (with {@code nextToken} pages),
 *       {@code BatchGetImage}, {@code PutImage} (with tag immutability and its exclusion filters, and the quotas of
 *       tags per image and images per repository), {@code BatchDeleteImage}, {@code DescribeImageScanFindings} (scans
 *       set with {@link #scan}, see {@link EcrScans}), {@code GetAuthorizationToken}, {@code PutLifecyclePolicy} /
 *       {@code GetLifecyclePolicy} (the document checked as ECR checks it) and {@code GetAccountSetting}
 *       ({@code BLOB_MOUNTING}, as {@link #blobMounting} says); repositories keep their
 *       {@code encryptionConfiguration}. Every request must carry a valid AWS Signature V4 of one of the
 *       {@link Principal}s' keys;</li>
 *   <li>the registry endpoint ({@link #registryHost()}, {@link EcrRegistryProxy}): the distribution API, logged in
 *       with the token {@code GetAuthorizationToken} handed to a principal.</li>
 * </ul>
 * Manifests, blobs and tags live in a real {@link HtpasswdRegistry} behind both: {@code PutImage} tags in it,
 * {@code BatchGetImage} reads from it, and the registry endpoint forwards to it.
 *
 * <p>Every IAM action the double authorizes, through either part, is recorded per principal with its resource ARN
 * ({@link #recording()}), so that tests can hold a service's IAM policy to exactly what the service does.
 *
 * <p>Faults for tests: {@link #throttle}, {@link #failNext} (any ECR error), {@link #limits} (lower quotas),
 * {@link #deny}, {@link #giveNextPutTagTo} (another publisher wins a tag), {@link #blobMounting} (off: mounts refused,
 * as in a registry that has not turned blob mounting on).
 * {@code BatchDeleteImage} removes tags or images as ECR does, in the registry behind (which must allow deletes).
 */
public final class EcrApiServer implements AutoCloseable {

    /** A repository and the settings it was created with. */
    public record Repository(String name, String tagMutability, List<String> exclusionFilters, boolean scanOnPush,
                             Instant createdAt) {
        public Repository {
            exclusionFilters = List.copyOf(exclusionFilters);
        }

        /** Whether a tag cannot be moved once it exists, per mutability and exclusion filters. */
        public boolean isImmutable(String tag) {
            boolean excluded = exclusionFilters.stream().anyMatch(f -> Pattern.matches(
                    String.join(".*", List.of(f.split("\\*", -1)).stream().map(Pattern::quote).toList()), tag));
            return switch (tagMutability) {
                case "IMMUTABLE" -> true;
                case "IMMUTABLE_WITH_EXCLUSION" -> !excluded;
                case "MUTABLE_WITH_EXCLUSION" -> excluded;
                default -> false;
            };
        }
    }

    /**
     * A repository's {@code encryptionConfiguration} as {@code DescribeRepositories} answers it.
     *
     * @param type   {@code AES256}, {@code KMS} or {@code KMS_DSSE}
     * @param kmsKey the key ARN with a KMS type, else null
     */
    public record Encryption(String type, String kmsKey) {
        public static final Encryption AES256 = new Encryption("AES256", null);
    }

    /**
     * One request: its operation, the repository it named ({@code repositoryName}, the first of
     * {@code repositoryNames}, or null), and the HTTP status and error type answered (null on success).
     */
    public record Call(String operation, String repository, int status, String errorType) {
    }

    /**
     * An IAM principal allowed to call the double: the name its actions are recorded under (e.g. the service), and its
     * AWS access key.
     */
    public record Principal(String name, String accessKeyId, String secretAccessKey) {
    }

    public static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY_ATTRIBUTE = "freshen.ecr.repository";

    /** {@code arn:aws:ecr:<region>:<account>:repository/}: a repository's ARN is this and its name. */
    public static final String REPOSITORY_ARN_PREFIX = "arn:aws:ecr:" + REGION + ":" + ACCOUNT_ID + ":repository/";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, String> principalOfKey;
    private final SigV4Verifier signatures;
    private final Map<String, String> principalOfToken = new ConcurrentHashMap<>();
    private final IamRecording recording = new IamRecording();
    private final EcrRegistryProxy registryEndpoint;
    private final EcrRegistryBackend backend;
    private final EcrOperations operations;
    /** An error to answer the next requests of an operation with. */
    private record Fault(String type, AtomicInteger remaining) {
    }

    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private EcrApiServer(HttpServer server, HtpasswdRegistry registry, String registryUser, String registryPassword,
                         List<Principal> principals) {
        this.server = server;
        Map<String, String> names = new HashMap<>();
        Map<String, String> secrets = new HashMap<>();
        for (Principal p : principals) {
            if (names.putIfAbsent(p.accessKeyId(), p.name()) != null) {
                throw new IllegalArgumentException("two principals with the access key " + p.accessKeyId());
            }
            secrets.put(p.accessKeyId(), p.secretAccessKey());
        }
        this.principalOfKey = Map.copyOf(names);
        this.signatures = new SigV4Verifier(secrets, REGION, "ecr");
        this.registryEndpoint = new EcrRegistryProxy(registry.baseUri(), registryUser, registryPassword,
                principalOfToken::get, recording, REPOSITORY_ARN_PREFIX);
        this.backend = new EcrRegistryBackend(registry.baseUri(), registryUser, registryPassword);
        this.operations = new EcrOperations(backend, ACCOUNT_ID, REGION, registryEndpoint.host(), registryUser,
                this::issueToken);
    }

    /**
     * Starts the double for account {@value #ACCOUNT_ID} in {@value #REGION}, backed by {@code registry}.
     *
     * @param registryUser     the registry's user, as ECR's {@code AWS}: the user of the tokens; with
     *                         {@code registryPassword} the administrator's login at {@link #registryHost()}
     * @param principals       who may call it (at least one), each with its own access key
     */
    public static EcrApiServer start(HtpasswdRegistry registry, String registryUser, String registryPassword,
                                     Principal... principals) {
        if (principals.length == 0) {
            throw new IllegalArgumentException("name at least one principal");
        }
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            EcrApiServer server = new EcrApiServer(http, registry, registryUser, registryPassword, List.of(principals));
            http.createContext("/", server::handle);
            http.setExecutor(server.executor);
            http.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ECR API double", e);
        }
    }

    /** {@link #start(HtpasswdRegistry, String, String, Principal...)} with one principal named after its key. */
    public static EcrApiServer start(HtpasswdRegistry registry, String registryUser, String registryPassword,
                                     String accessKeyId, String secretAccessKey) {
        return start(registry, registryUser, registryPassword, new Principal(accessKeyId, accessKeyId, secretAccessKey));
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint override for the AWS SDK. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * {@code 127.0.0.1:<port>}: the registry host as in image references ({@code <account>.dkr.ecr.<region>.amazonaws.com}
     * in AWS), the {@code proxyEndpoint} of the tokens. Clients log in with a token; the test itself may use the
     * backing registry's user and password here, as an administrator whose requests are not recorded.
     */
    public String registryHost() {
        return registryEndpoint.host();
    }

    /** The IAM actions authorized so far, per principal. */
    public IamRecording recording() {
        return recording;
    }

    /**
     * Whether the registry endpoint mounts blobs across repositories (default on, as the registry behind does); off, a
     * mount request opens an upload session instead (202), as ECR does until a registry turns blob mounting on
     * ({@code aws ecr put-account-setting --name BLOB_MOUNTING --value ENABLED}).
     */
    public void blobMounting(boolean enabled) {
        registryEndpoint.blobMounting(enabled);
        operations.blobMounting(enabled);
    }

    /**
     * Puts an image of an open registry (e.g. {@link LocalRegistry}) into a repository as an administrator would,
     * outside IAM: its blobs, then its manifest under {@code tag}. Single-platform images only.
     *
     * @param source an image in an open registry on 127.0.0.1, by tag or digest
     * @return the manifest digest
     */
    public String importImage(ImageReference source, String repository, String tag) {
        return backend.importImage(URI.create("http://" + source.registry()), source.repository(),
                source.digest() != null ? source.digest().toString() : source.tag(), repository, tag);
    }

    /** Answers the next {@code times} requests of {@code operation} with {@code ThrottlingException}. */
    public void throttle(String operation, int times) {
        failNext(operation, "ThrottlingException", times);
    }

    /**
     * Answers the next {@code times} requests of {@code operation} with the ECR error {@code type} and ECR's message for
     * it: {@code ThrottlingException} ("Rate exceeded"), {@code LimitExceededException} (a service limit),
     * {@code RepositoryNotFoundException} (as if the repository had been deleted meanwhile), {@code ServerException}
     * (HTTP 500), or any other type with a generic message (HTTP 400).
     */
    public void failNext(String operation, String type, int times) {
        faults.put(operation, new Fault(type, new AtomicInteger(times)));
    }

    /**
     * Lowers ECR's quotas for {@code PutImage} with a tag ({@code LimitExceededException} beyond them): tags per image
     * (ECR: 1,000, not adjustable) and images per repository (ECR: 100,000 by default).
     */
    public void limits(int tagsPerImage, int imagesPerRepository) {
        operations.limits(tagsPerImage, imagesPerRepository);
    }

    /** Answers every request of {@code operation} with {@code AccessDeniedException} until {@link #allow}. */
    public void deny(String operation) {
        denied.add(operation);
    }

    public void allow(String operation) {
        denied.remove(operation);
    }

    /**
     * Before the next {@code PutImage} with a tag into {@code repository}, that tag is put on the image
     * {@code reference} (a tag or digest in the repository) names, as if another publisher had been faster.
     */
    public void giveNextPutTagTo(String repository, String reference) {
        operations.putRace(repository, reference);
    }

    /** Serves {@code ListImages} pages of at most {@code max} images, whatever the client asks for. */
    public void maxPageSize(int max) {
        operations.pageCap(max);
    }

    /**
     * From now on the image {@code digest} of {@code repository} has the scan {@code scan} (findings, and how long ECR
     * takes to finish it), as {@code DescribeImageScanFindings} reports it; each call starts the scan's clock and
     * request count again.
     */
    public void scan(String repository, String digest, EcrScan scan) {
        operations.scan(repository, digest, scan);
    }

    /** Creates a repository as an administrator would have, outside the API. */
    public void createRepository(String name, String tagMutability, List<String> exclusionFilters, boolean scanOnPush) {
        operations.add(new Repository(name, tagMutability, exclusionFilters, scanOnPush, Instant.now()));
    }

    /** Creates a repository with its encryption as an administrator would have, outside the API. */
    public void createRepository(String name, String tagMutability, List<String> exclusionFilters, boolean scanOnPush,
                                 Encryption encryption) {
        operations.add(new Repository(name, tagMutability, exclusionFilters, scanOnPush, Instant.now()), encryption);
    }

    public Optional<Repository> repository(String name) {
        return operations.repository(name);
    }

    /** The encryption a repository was created with (AES256 unless asked otherwise). */
    public Encryption encryption(String repository) {
        return operations.encryption(repository);
    }

    /** The lifecycle policy text {@code PutLifecyclePolicy} put on a repository, as sent. */
    public Optional<String> lifecyclePolicy(String repository) {
        return operations.lifecyclePolicy(repository);
    }

    /** Every request so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The requests of one operation so far. */
    public List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    /** The requests of one operation on one repository so far. */
    public List<Call> calls(String operation, String repository) {
        return calls(operation).stream().filter(c -> repository.equals(c.repository())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "?";
            SigV4Verifier.Rejection rejection = signatures.verify(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body);
            if (rejection != null) {
                error(exchange, operation, rejection.status(), rejection.type(), rejection.message());
                return;
            }
            String principal = principalOfKey.get(SigV4Verifier.accessKeyId(exchange.getRequestHeaders()));
            if (!exchange.getRequestMethod().equals("POST") || operation.equals("?")) {
                error(exchange, operation, 400, "UnknownOperationException", "expected POST with X-Amz-Target " + TARGET_PREFIX
                        + "<Operation>, got " + exchange.getRequestMethod() + " with " + target);
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
                error(exchange, operation, 400, "SerializationException", "Content-Type must be " + CONTENT_TYPE);
                return;
            }
            JsonNode request;
            try {
                request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                error(exchange, operation, 400, "SerializationException", "the body is not JSON: " + e.getMessage());
                return;
            }
            String repository = request.path("repositoryName").asText(request.path("repositoryNames").path(0).asText(null));
            if (repository != null) {
                exchange.setAttribute(REPOSITORY_ATTRIBUTE, repository);
            }
            Fault fault = faults.get(operation);
            if (fault != null && fault.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(exchange, operation, fault.type().equals("ServerException") ? 500 : 400, fault.type(),
                        faultMessage(fault.type(), repository));
                return;
            }
            if (denied.contains(operation)) {
                error(exchange, operation, 400, "AccessDeniedException", "User: arn:aws:iam::" + ACCOUNT_ID
                        + ":user/" + principal + " is not authorized to perform: ecr:" + operation + " on resource: arn:aws:ecr:"
                        + REGION + ":" + ACCOUNT_ID + ":repository/" + request.path("repositoryName").asText("*")
                        + " because no identity-based policy allows the ecr:" + operation + " action");
                return;
            }
            for (String resource : resources(operation, request)) {
                recording.record(principal, "ecr:" + operation, resource);
            }
            ObjectNode response;
            try {
                response = operations.handle(operation, request, principal);
            } catch (EcrOperations.EcrError e) {
                error(exchange, operation, 400, e.type, e.getMessage());
                return;
            } catch (RuntimeException e) {
                error(exchange, operation, 500, "ServerException", "the ECR double failed: " + e);
                return;
            }
            respond(exchange, operation, 200, response, null);
        }
    }

    /**
     * The resources IAM authorizes an ECR API request on (Service Authorization Reference, Amazon ECR): the repositories
     * it names, every repository for a {@code DescribeRepositories} without names, {@code *} for
     * {@code GetAuthorizationToken}.
     */
    private static List<String> resources(String operation, JsonNode request) {
        if (operation.equals("GetAuthorizationToken")) {
            return List.of("*");
        }
        if (request.has("repositoryName")) {
            return List.of(REPOSITORY_ARN_PREFIX + request.get("repositoryName").asText());
        }
        if (request.path("repositoryNames").isArray() && !request.path("repositoryNames").isEmpty()) {
            List<String> out = new ArrayList<>();
            request.get("repositoryNames").forEach(n -> out.add(REPOSITORY_ARN_PREFIX + n.asText()));
            return out;
        }
        return List.of(operation.equals("DescribeRepositories") ? REPOSITORY_ARN_PREFIX + "*" : "*");
    }

    private static String faultMessage(String type, String repository) {
        return switch (type) {
            case "ThrottlingException" -> "Rate exceeded";
            case "LimitExceededException" -> "The operation did not succeed because it would have exceeded a service "
                    + "limit for your account.";
            case "RepositoryNotFoundException" -> "The repository with name '" + repository
                    + "' does not exist in the registry with id '" + ACCOUNT_ID + "'";
            case "ServerException" -> "Internal service error";
            default -> type + " (injected by the test)";
        };
    }

    private String issueToken(String principal) {
        String token = "ecr-token-" + UUID.randomUUID();
        principalOfToken.put(token, principal);
        return token;
    }

    private void error(HttpExchange exchange, String operation, int status, String type, String message) throws IOException {
        respond(exchange, operation, status, JSON.createObjectNode().put("__type", type).put("message", message), type);
    }

    private void respond(HttpExchange exchange, String operation, int status, ObjectNode body, String errorType)
            throws IOException {
        calls.add(new Call(operation, (String) exchange.getAttribute(REPOSITORY_ATTRIBUTE), status, errorType));
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        registryEndpoint.close();
    }
}
