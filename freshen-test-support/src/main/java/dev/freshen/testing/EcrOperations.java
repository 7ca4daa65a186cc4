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
    private final EcrScans scans;
    private final Map<String, EcrApiServer.Encryption> encryption = new HashMap<>();
    private final EcrLifecyclePolicies lifecyclePolicies;
    private volatile boolean blobMounting = true;
    private volatile int pageCap = 1000;
    /** ECR's quota of tags per image (not adjustable). */
    static final int TAGS_PER_IMAGE = 1000;
    /** ECR's default quota of images per repository (adjustable). */
    static final int IMAGES_PER_REPOSITORY = 100_000;
    private volatile int tagsPerImage = TAGS_PER_IMAGE;
    private volatile int imagesPerRepository = IMAGES_PER_REPOSITORY;

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
        this.scans = new EcrScans(accountId, region);
        this.lifecyclePolicies = new EcrLifecyclePolicies(accountId);
    }

    /** From now on the image {@code digest} of {@code repository} has the scan {@code scan}. */
    void scan(String repository, String digest, EcrScan scan) {
        scans.set(repository, digest, scan);
    }

    void pageCap(int cap) {
        this.pageCap = cap;
    }

    void limits(int tagsPerImage, int imagesPerRepository) {
        this.tagsPerImage = tagsPerImage;
        this.imagesPerRepository = imagesPerRepository;
    }

    /** Before the next tagging PutImage into {@code repository}, its tag goes to the image {@code reference} names. */
    synchronized void putRace(String repository, String reference) {
        putRaces.put(repository, reference);
    }

    synchronized void add(EcrApiServer.Repository repository) {
        repositories.put(repository.name(), repository);
    }

    /** Adds a repository with its encryption, as an administrator would have made it. */
    synchronized void add(EcrApiServer.Repository repository, EcrApiServer.Encryption encryption) {
        repositories.put(repository.name(), repository);
        this.encryption.put(repository.name(), encryption);
    }

    synchronized EcrApiServer.Encryption encryption(String name) {
        return encryption.getOrDefault(name, EcrApiServer.Encryption.AES256);
    }

    synchronized Optional<String> lifecyclePolicy(String name) {
        return lifecyclePolicies.of(name);
    }

    /** What {@code GetAccountSetting BLOB_MOUNTING} answers: ENABLED or DISABLED. */
    void blobMounting(boolean enabled) {
        this.blobMounting = enabled;
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
            case "DescribeImageScanFindings" -> scans.describe(existing(required(in, "repositoryName")), in,
                    tag -> backend.digest(in.get("repositoryName").asText(), tag),
                    digest -> backend.manifest(in.get("repositoryName").asText(), digest, List.of()).isPresent(), pageCap);
            case "PutLifecyclePolicy" -> putLifecyclePolicy(in);
            case "GetLifecyclePolicy" -> getLifecyclePolicy(in);
            case "GetAccountSetting" -> getAccountSetting(in);
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
        EcrApiServer.Encryption encryption = encryption(in.path("encryptionConfiguration"));
        EcrApiServer.Repository repository = new EcrApiServer.Repository(name, mutability, filters, scanOnPush, Instant.now());
        repositories.put(name, repository);
        this.encryption.put(name, encryption);
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
            if (current.isPresent() && repository.isImmutable(tag)) {
                // also when the tag names this very image: what ECR has been reported to answer for immutable tags
                throw new EcrError("ImageTagAlreadyExistsException", "The image tag '" + tag + "' already exists in the '"
                        + repository.name() + "' repository and cannot be overwritten because the tag is immutable.");
            }
            if (current.equals(Optional.of(digest))) {
                throw new EcrError("ImageAlreadyExistsException", "Image with digest '" + digest + "' and tag '" + tag
                        + "' already exists in the repository with name '" + repository.name() + "' in registry with id '"
                        + accountId + "'");
            }
            checkLimits(repository, digest, tag);
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
     * ECR's quotas a tagging {@code PutImage} can exceed ({@code LimitExceededException}): tags per image (1,000, not
     * adjustable; CloudTrail shows "... exceeds the maximum allowed number of tags per image which is '1000'") and
     * images per repository (100,000 by default). Counted only when a test lowered them ({@link #limits}): with ECR's
     * values no test gets near them, and counting lists every tag.
     */
    private void checkLimits(EcrApiServer.Repository repository, String digest, String tag) {
        if (tagsPerImage >= TAGS_PER_IMAGE && imagesPerRepository >= IMAGES_PER_REPOSITORY) {
            return;
        }
        Map<String, String> tagged = tagged(repository.name());
        long onImage = tagged.values().stream().filter(digest::equals).count();
        if (onImage >= tagsPerImage) {
            throw new EcrError("LimitExceededException", "Adding tag '" + tag + "' to an image in the repository with name '"
                    + repository.name() + "' in registry with id '" + accountId + "' exceeds the maximum allowed number "
                    + "of tags per image which is '" + tagsPerImage + "'");
        }
        Set<String> images = new java.util.HashSet<>(tagged.values());
        if (!images.contains(digest) && images.size() >= imagesPerRepository) {
            throw new EcrError("LimitExceededException", "The repository with name '" + repository.name()
                    + "' in registry with id '" + accountId + "' has reached the maximum allowed number of images which is '"
                    + imagesPerRepository + "'");
        }
    }

    /** Every tag of a repository with its digest. */
    private Map<String, String> tagged(String repository) {
        Map<String, String> tagged = new java.util.LinkedHashMap<>();
        for (String tag : backend.tags(repository)) {
            backend.digest(repository, tag).ifPresent(d -> tagged.put(tag, d));
        }
        return tagged;
    }

    /**
     * {@code BatchDeleteImage} as ECR answers it: 1 to 100 image ids; an id with a tag removes that tag (the image goes
     * when its last tag goes), with a digest only removes the image and every tag on it; per id a failure instead
     * ({@code ImageNotFound} "Requested image not found", {@code ImageTagDoesNotMatchDigest}, {@code MissingDigestAndTag})
     * in {@code failures}, and the request succeeds. The registry behind deletes by digest only, so removing one tag
     * deletes the manifest and puts it back under the image's other tags (its blobs stay until garbage collection).
     *
     * <p>Images an image index of the repository lists (the platform images of a multi-platform image): deleting one
     * by digest fails with {@code ImageReferencedByManifestList} ("Requested image referenced by manifest list:
     * [sha256:…]") while the index exists; removing its last tag removes the tag and keeps the image, untagged. An
     * index goes like any image; the images it listed stay. (The double looks at tagged indexes only.)
     */
    private ObjectNode batchDeleteImage(JsonNode in) {
        EcrApiServer.Repository repository = existing(required(in, "repositoryName"));
        JsonNode ids = in.path("imageIds");
        if (!ids.isArray() || ids.isEmpty() || ids.size() > 100) {
            throw invalid("imageIds", "Member must have length less than or equal to 100 and greater than or equal to 1");
        }
        ArrayNode deleted = JSON.createArrayNode();
        ArrayNode failures = JSON.createArrayNode();
        for (JsonNode id : ids) {
            String digest = id.path("imageDigest").asText(null);
            String tag = id.path("imageTag").asText(null);
            Map<String, String> tagged = tagged(repository.name());
            String failure;
            if (digest == null && tag == null) {
                failure = "MissingDigestAndTag";
            } else if (tag != null && !tagged.containsKey(tag)) {
                failure = "ImageNotFound";
            } else if (tag != null && digest != null && !digest.equals(tagged.get(tag))) {
                failure = "ImageTagDoesNotMatchDigest";
            } else if (tag == null && backend.manifest(repository.name(), digest, List.of()).isEmpty()) {
                failure = "ImageNotFound";
            } else if (tag == null && !listedBy(repository.name(), digest, tagged).isEmpty()) {
                failure = "ImageReferencedByManifestList";
            } else {
                failure = null;
            }
            if (failure != null) {
                ObjectNode f = failures.addObject();
                f.set("imageId", id);
                f.put("failureCode", failure).put("failureReason", switch (failure) {
                    case "ImageNotFound" -> "Requested image not found";
                    case "ImageTagDoesNotMatchDigest" -> "Invalid image tag for image digest";
                    case "ImageReferencedByManifestList" -> "Requested image referenced by manifest list: "
                            + listedBy(repository.name(), digest, tagged);
                    default -> "Invalid image identifier";
                });
                continue;
            }
            String image = digest != null ? digest : tagged.get(tag);
            EcrRegistryBackend.StoredManifest manifest = backend.manifest(repository.name(), image, List.of()).orElseThrow();
            backend.delete(repository.name(), image);
            List<String> others = tagged.entrySet().stream().filter(t -> t.getValue().equals(image))
                    .map(Map.Entry::getKey).filter(t -> tag != null && !t.equals(tag)).toList();
            if (tag != null && others.isEmpty() && !listedBy(repository.name(), image, tagged).isEmpty()) {
                others = List.of(image); // an index lists it: it stays, untagged
            }
            for (String other : others) {
                String error = backend.put(repository.name(), other, manifest.mediaType(), manifest.content());
                if (error != null) {
                    throw new IllegalStateException("the double could not keep " + repository.name() + ":" + other + ": " + error);
                }
            }
            if (tag != null) {
                deleted.addObject().put("imageDigest", image).put("imageTag", tag);
            } else {
                tagged.entrySet().stream().filter(t -> t.getValue().equals(image))
                        .forEach(t -> deleted.addObject().put("imageDigest", image).put("imageTag", t.getKey()));
                if (tagged.values().stream().noneMatch(image::equals)) {
                    deleted.addObject().put("imageDigest", image);
                }
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("imageIds", deleted);
        out.set("failures", failures);
        return out;
    }

    /** The digests of the tagged image indexes of {@code repository} ({@code tagged}) that list {@code digest}. */
    private List<String> listedBy(String repository, String digest, Map<String, String> tagged) {
        List<String> indexes = new ArrayList<>();
        for (String candidate : new java.util.TreeSet<>(tagged.values())) {
            if (candidate.equals(digest)) {
                continue;
            }
            Optional<EcrRegistryBackend.StoredManifest> manifest = backend.manifest(repository, candidate, List.of());
            if (manifest.isEmpty() || !EcrRegistryBackend.MANIFEST_TYPES.subList(0, 2).contains(manifest.get().mediaType())) {
                continue;
            }
            try {
                for (JsonNode entry : JSON.readTree(manifest.get().content()).path("manifests")) {
                    if (digest.equals(entry.path("digest").asText())) {
                        indexes.add(candidate);
                        break;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("the double cannot read the index " + repository + "@" + candidate, e);
            }
        }
        return indexes;
    }

    /**
     * {@code encryptionConfiguration} of {@code CreateRepository}: {@code AES256} (default), {@code KMS} or
     * {@code KMS_DSSE}; a {@code kmsKey} only with a KMS type, answered as a key ARN (the AWS-managed {@code aws/ecr}
     * key's when none is given).
     */
    private EcrApiServer.Encryption encryption(JsonNode in) {
        if (in.isMissingNode() || in.isNull()) {
            return EcrApiServer.Encryption.AES256;
        }
        String type = in.path("encryptionType").asText("");
        if (!Set.of("AES256", "KMS", "KMS_DSSE").contains(type)) {
            throw invalid("encryptionConfiguration.encryptionType", "'" + type + "' is not one of AES256, KMS, KMS_DSSE");
        }
        String key = in.path("kmsKey").asText(null);
        if (type.equals("AES256")) {
            if (key != null) {
                throw invalid("encryptionConfiguration.kmsKey", "a KMS key is only allowed with encryption type KMS");
            }
            return EcrApiServer.Encryption.AES256;
        }
        String arnPrefix = "arn:aws:kms:" + region + ":" + accountId + ":";
        String arn = key == null ? arnPrefix + "key/aws-ecr-managed-key"
                : key.startsWith("arn:") ? key : key.startsWith("alias/") ? arnPrefix + key : arnPrefix + "key/" + key;
        return new EcrApiServer.Encryption(type, arn);
    }

    /** {@code PutLifecyclePolicy} on an existing repository, as {@link EcrLifecyclePolicies#put} checks it. */
    private ObjectNode putLifecyclePolicy(JsonNode in) {
        EcrApiServer.Repository repository = existing(required(in, "repositoryName"));
        return lifecyclePolicies.put(repository.name(), required(in, "lifecyclePolicyText"));
    }

    /** {@code GetLifecyclePolicy} of an existing repository. */
    private ObjectNode getLifecyclePolicy(JsonNode in) {
        return lifecyclePolicies.get(existing(required(in, "repositoryName")).name());
    }

    /** {@code GetAccountSetting}: {@code BLOB_MOUNTING} answers ENABLED or DISABLED as {@link #blobMounting} says. */
    private ObjectNode getAccountSetting(JsonNode in) {
        String name = required(in, "name");
        if (!name.equals("BLOB_MOUNTING")) {
            throw invalid("name", "the ECR double knows only the account setting BLOB_MOUNTING, not " + name);
        }
        return JSON.createObjectNode().put("name", name).put("value", blobMounting ? "ENABLED" : "DISABLED");
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
        EcrApiServer.Encryption encrypted = encryption.getOrDefault(r.name(), EcrApiServer.Encryption.AES256);
        ObjectNode encryptionJson = json.putObject("encryptionConfiguration").put("encryptionType", encrypted.type());
        if (encrypted.kmsKey() != null) {
            encryptionJson.put("kmsKey", encrypted.kmsKey());
        }
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

    static EcrError invalid(String field, String problem) {
        return new EcrError("InvalidParameterException", "Invalid parameter at '" + field + "' failed to satisfy constraint: "
                + problem);
    }

    /** ECR timestamps: epoch seconds with milliseconds, as a JSON number. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
