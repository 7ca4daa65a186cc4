package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The ECR operations {@link EcrApiServer} implements, with ECR's request and response shapes (service model
 * {@code ecr-2015-09-21}, JSON 1.1) and error types: repositories and their settings are kept here, manifests and tags
 * live in the real registry behind ({@link EcrRegistryBackend}).
 */
final class EcrOperations {

    /** An ECR error: its {@code __type} and message, answered with HTTP 400. */
    static final class EcrError extends RuntimeException {
        final String type;

        EcrError(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPOSITORY = Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern FILTER = Pattern.compile("[0-9a-zA-Z._*-]{1,128}");
    private static final Set<String> MUTABILITIES = Set.of("MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION",
            "MUTABLE_WITH_EXCLUSION");

    private final EcrRegistryBackend backend;
    private final String accountId;
    private final String region;
    private final String registryHost;
    private final String registryUser;
    private final Function<String, String> issueToken;
    private final Map<String, EcrApiServer.Repository> repositories = new TreeMap<>();
    private final Map<String, String> putRaces = new HashMap<>();
    private volatile int pageCap = 1000;

    /**
     * @param registryHost the registry endpoint ({@link EcrRegistryProxy}) as in image references
     * @param issueToken   a new registry password (token) for a principal
     */
    EcrOperations(EcrRegistryBackend backend, String accountId, String region, String registryHost, String registryUser,
                  Function<String, String> issueToken) {
        this.backend = backend;
        this.accountId = accountId;
        this.region = region;
        this.registryHost = registryHost;
        this.registryUser = registryUser;
        this.issueToken = issueToken;
    }

    void pageCap(int cap) {
        this.pageCap = cap;
    }

    /** Before the next tagging PutImage into {@code repository}, its tag goes to the image {@code reference} names. */
    synchronized void putRace(String repository, String reference) {
        putRaces.put(repository, reference);
    }

    synchronized void add(EcrApiServer.Repository repository) {
        repositories.put(repository.name(), repository);
    }

    synchronized Optional<EcrApiServer.Repository> repository(String name) {
        return Optional.ofNullable(repositories.get(name));
    }

    /** Answers one request of {@code principal}; throws {@link EcrError} for ECR's errors. */
    synchronized ObjectNode handle(String operation, JsonNode in, String principal) {
        if (in.hasNonNull("registryId") && !in.get("registryId").asText().equals(accountId)) {
            throw new EcrError("InvalidParameterException", "Invalid parameter at 'registryId': " + in.get("registryId").asText()
                    + " is not the registry of these credentials (" + accountId + ")");
        }
        return switch (operation) {
            case "DescribeRepositories" -> describeRepositories(in);
            case "CreateRepository" -> createRepository(in);
            case "ListImages" -> listImages(in);
            case "BatchGetImage" -> batchGetImage(in);
            case "PutImage" -> putImage(in);
            case "BatchDeleteImage" -> batchDeleteImage(in);
            case "GetAuthorizationToken" -> getAuthorizationToken(in, principal);
            default -> throw new EcrError("UnknownOperationException", "operation " + operation + " is not implemented by the ECR double");
        };
    }

    private ObjectNode describeRepositories(JsonNode in) {
        ArrayNode list = JSON.createArrayNode();
        if (in.has("repositoryNames")) {
            in.get("repositoryNames").forEach(n -> list.add(json(existing(n.asText()))));
        } else {
            repositories.values().forEach(r -> list.add(json(r)));
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("repositories", list);
        return out;
    }

    private ObjectNode createRepository(JsonNode in) {
        String name = required(in, "repositoryName");
        if (name.length() < 2 || name.length() > 256 || !REPOSITORY.matcher(name).matches()) {
            throw invalid("repositoryName", "'" + name + "' is not a valid repository name");
        }
        if (repositories.containsKey(name)) {
            throw new EcrError("RepositoryAlreadyExistsException", "The repository with name '" + name
                    + "' already exists in the registry with id '" + accountId + "'");
        }
        String mutability = in.path("imageTagMutability").asText("MUTABLE");
        if (!MUTABILITIES.contains(mutability)) {
            throw invalid("imageTagMutability", "'" + mutability + "' is not one of " + MUTABILITIES);
        }
        List<String> filters = new ArrayList<>();
        for (JsonNode filter : in.path("imageTagMutabilityExclusionFilters")) {
            if (!"WILDCARD".equals(filter.path("filterType").asText()) || !FILTER.matcher(filter.path("filter").asText()).matches()) {
                throw invalid("imageTagMutabilityExclusionFilters", "invalid filter " + filter);
            }
            filters.add(filter.get("filter").asText());
        }
        boolean exclusion = mutability.endsWith("_WITH_EXCLUSION");
        if (exclusion != !filters.isEmpty() || filters.size() > 5) {
            throw invalid("imageTagMutabilityExclusionFilters", "1 to 5 filters are required with, and only allowed with, "
                    + "IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION (got " + filters.size() + " with " + mutability + ")");
        }
        boolean scanOnPush = in.path("imageScanningConfiguration").path("scanOnPush").asBoolean(false);
        EcrApiServer.Repository repository = new EcrApiServer.Repository(name, mutability, filters, scanOnPush, Instant.now());
        repositories.put(name, repository);
        ObjectNode out = JSON.createObjectNode();
        out.set("repository", json(repository));
        return out;
    }

    private ObjectNode listImages(JsonNode in) {
        EcrApiServer.Repository repository = existing(required(in, "repositoryName"));
        int max = in.path("maxResults").asInt(100);
        if (max < 1 || max > 1000) {
            throw invalid("maxResults", "must be between 1 and 1000");
        }
        int page = Math.min(max, pageCap);
        int from = 0;
        if (in.hasNonNull("nextToken")) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(in.get("nextToken").asText()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalid("nextToken", "invalid pagination token");
            }
        }
        List<String> tags = "UNTAGGED".equals(in.path("filter").path("tagStatus").asText()) ? List.of()
                : backend.tags(repository.name());
        ArrayNode ids = JSON.createArrayNode();
        for (String tag : tags.subList(Math.min(from, tags.size()), Math.min(from + page, tags.size()))) {
            backend.digest(repository.name(), tag).ifPresent(d -> ids.add(JSON.createObjectNode()
                    .put("imageDigest", d).put("imageTag", tag)));
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("imageIds", ids);
        if (from + page < tags.size()) {
            out.put("nextToken", Base64.getEncoder().encodeToString(String.valueOf(from + page).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private ObjectNode batchGetImage(JsonNode in) {
        EcrApiServer.Repository repository = existing(required(in, "repositoryName"));
        List<String> accepted = new ArrayList<>();
        in.path("acceptedMediaTypes").forEach(t -> accepted.add(t.asText()));
        ArrayNode images = JSON.createArrayNode();
        ArrayNode failures = JSON.createArrayNode();
        for (JsonNode id : in.path("imageIds")) {
            String digest = id.path("imageDigest").asText(null);
            String tag = id.path("imageTag").asText(null);
            String failure = null;
            Optional<EcrRegistryBackend.StoredManifest> found = Optional.empty();
            if (digest == null && tag == null) {
                failure = "MissingDigestAndTag";
            } else {
                found = backend.manifest(repository.name(), digest != null ? digest : tag, accepted);
                if (found.isPresent() && digest != null && tag != null
                        && !backend.digest(repository.name(), tag).equals(Optional.of(digest))) {
                    failure = "ImageTagDoesNotMatchDigest";
                } else if (found.isEmpty()) {
                    failure = "ImageNotFound";
                }
            }
            if (failure != null) {
                ObjectNode f = failures.addObject();
                f.set("imageId", id);
                f.put("failureCode", failure).put("failureReason", failure.equals("ImageNotFound")
                        ? "Requested image not found" : "Invalid image identifier");
            } else {
                images.add(image(repository, found.get().content(), found.get().mediaType(), found.get().digest(), tag));
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("images", images);
        out.set("failures", failures);
        return out;
    }

    private ObjectNode putImage(JsonNode in) {
        EcrApiServer.Repository repository = existing(required(in, "repositoryName"));
        byte[] manifest = required(in, "imageManifest").getBytes(StandardCharsets.UTF_8);
        String digest = EcrRegistryBackend.sha256(manifest);
        if (in.hasNonNull("imageDigest") && !in.get("imageDigest").asText().equals(digest)) {
            throw new EcrError("ImageDigestDoesNotMatchException", "Provided digest does not match the digest of the image manifest");
        }
        String mediaType = in.path("imageManifestMediaType").asText(null);
        if (mediaType == null) {
            try {
                mediaType = JSON.readTree(manifest).path("mediaType").asText(null);
            } catch (IOException e) {
                throw invalid("imageManifest", "not JSON");
            }
        }
        if (mediaType == null || !EcrRegistryBackend.MANIFEST_TYPES.contains(mediaType)) {
            throw invalid("imageManifestMediaType", "Invalid media type " + mediaType);
        }
        String tag = in.path("imageTag").asText(null);
        if (tag != null) {
            String other = putRaces.remove(repository.name());
            if (other != null) {
                backend.manifest(repository.name(), other, List.of())
                        .ifPresent(m -> backend.put(repository.name(), tag, m.mediaType(), m.content()));
            }
            Optional<String> current = backend.digest(repository.name(), tag);
            if (current.equals(Optional.of(digest))) {
                throw new EcrError("ImageAlreadyExistsException", "Image with digest '" + digest + "' and tag '" + tag
                        + "' already exists in the repository with name '" + repository.name() + "' in registry with id '"
                        + accountId + "'");
            }
            if (current.isPresent() && repository.isImmutable(tag)) {
                throw new EcrError("ImageTagAlreadyExistsException", "The image tag '" + tag + "' already exists in the '"
                        + repository.name() + "' repository and cannot be overwritten because the tag is immutable.");
            }
        }
        String error = backend.put(repository.name(), tag != null ? tag : digest, mediaType, manifest);
        if (error != null && (error.startsWith("MANIFEST_BLOB_UNKNOWN") || error.startsWith("BLOB_UNKNOWN"))) {
            throw new EcrError("LayersNotFoundException", "Layers required for pushing image into repository with name '"
                    + repository.name() + "' in the registry with id '" + accountId + "' do not exist (" + error + ")");
        } else if (error != null) {
            throw invalid("imageManifest", error);
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("image", image(repository, manifest, mediaType, digest, tag));
        return out;
    }

    /**
     * {@code BatchDeleteImage}: an image id with a tag removes that tag (the image goes with its last tag), one with a
     * digest only removes the image with all its tags; an id that names nothing is an {@code ImageNotFound} failure.
     * The registry behind deletes whole manifests, so removing one of several tags deletes the manifest and puts the
     * other tags back.
     */
    private ObjectNode batchDeleteImage(JsonNode in) {
        EcrApiServer.Repository repository = existing(required(in, "repositoryName"));
        ArrayNode deleted = JSON.createArrayNode();
        ArrayNode failures = JSON.createArrayNode();
        for (JsonNode id : in.path("imageIds")) {
            String tag = id.path("imageTag").asText(null);
            String digest = tag != null ? backend.digest(repository.name(), tag).orElse(null)
                    : id.path("imageDigest").asText(null);
            Optional<EcrRegistryBackend.StoredManifest> manifest = digest == null ? Optional.empty()
                    : backend.manifest(repository.name(), digest, List.of());
            if (manifest.isEmpty()) {
                ObjectNode f = failures.addObject();
                f.set("imageId", id);
                f.put("failureCode", "ImageNotFound").put("failureReason", "Requested image not found");
                continue;
            }
            List<String> kept = tag == null ? List.of() : backend.tags(repository.name()).stream()
                    .filter(t -> !t.equals(tag) && backend.digest(repository.name(), t).equals(Optional.of(digest)))
                    .toList();
            backend.delete(repository.name(), digest);
            kept.forEach(t -> backend.put(repository.name(), t, manifest.get().mediaType(), manifest.get().content()));
            ObjectNode out = deleted.addObject().put("imageDigest", digest);
            if (tag != null) {
                out.put("imageTag", tag);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("imageIds", deleted);
        out.set("failures", failures);
        return out;
    }

    private ObjectNode getAuthorizationToken(JsonNode in, String principal) {
        for (JsonNode id : in.path("registryIds")) {
            if (!id.asText().equals(accountId)) {
                throw invalid("registryIds", id.asText() + " is not this registry");
            }
        }
        ArrayNode data = JSON.createArrayNode();
        data.addObject()
                .put("authorizationToken", Base64.getEncoder().encodeToString((registryUser + ":" + issueToken.apply(principal))
                        .getBytes(StandardCharsets.UTF_8)))
                .put("expiresAt", epochSeconds(Instant.now().plus(Duration.ofHours(12))))
                .put("proxyEndpoint", "http://" + registryHost);
        ObjectNode out = JSON.createObjectNode();
        out.set("authorizationData", data);
        return out;
    }

    private ObjectNode image(EcrApiServer.Repository repository, byte[] manifest, String mediaType, String digest, String tag) {
        ObjectNode image = JSON.createObjectNode().put("registryId", accountId).put("repositoryName", repository.name());
        ObjectNode id = image.putObject("imageId").put("imageDigest", digest);
        if (tag != null) {
            id.put("imageTag", tag);
        }
        image.put("imageManifest", new String(manifest, StandardCharsets.UTF_8)).put("imageManifestMediaType", mediaType);
        return image;
    }

    private ObjectNode json(EcrApiServer.Repository r) {
        ObjectNode json = JSON.createObjectNode()
                .put("repositoryArn", "arn:aws:ecr:" + region + ":" + accountId + ":repository/" + r.name())
                .put("registryId", accountId)
                .put("repositoryName", r.name())
                .put("repositoryUri", registryHost + "/" + r.name())
                .put("createdAt", epochSeconds(r.createdAt()))
                .put("imageTagMutability", r.tagMutability());
        if (!r.exclusionFilters().isEmpty()) {
            ArrayNode filters = json.putArray("imageTagMutabilityExclusionFilters");
            r.exclusionFilters().forEach(f -> filters.addObject().put("filterType", "WILDCARD").put("filter", f));
        }
        json.putObject("imageScanningConfiguration").put("scanOnPush", r.scanOnPush());
        json.putObject("encryptionConfiguration").put("encryptionType", "AES256");
        return json;
    }

    private EcrApiServer.Repository existing(String name) {
        EcrApiServer.Repository repository = repositories.get(name);
        if (repository == null) {
            throw new EcrError("RepositoryNotFoundException", "The repository with name '" + name
                    + "' does not exist in the registry with id '" + accountId + "'");
        }
        return repository;
    }

    private static String required(JsonNode in, String field) {
        if (!in.hasNonNull(field) || in.get(field).asText().isEmpty()) {
            throw invalid(field, "is required");
        }
        return in.get(field).asText();
    }

    private static EcrError invalid(String field, String problem) {
        return new EcrError("InvalidParameterException", "Invalid parameter at '" + field + "' failed to satisfy constraint: "
                + problem);
    }

    /** ECR timestamps: epoch seconds with milliseconds, as a JSON number. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
