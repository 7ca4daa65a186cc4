package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code DescribeImageScanFindings} of the ECR double, as ECR answers it (service model {@code ecr-2015-09-21}):
 * {@code imageScanStatus}, {@code imageScanFindings} with {@code findingSeverityCounts} and {@code findings} (basic
 * scanning) or {@code enhancedFindings} (enhanced scanning), {@code nextToken} pages ({@code maxResults} 1-1000,
 * default 100), {@code ScanNotFoundException} before a scan exists, {@code ImageNotFoundException} for an image the
 * repository does not have. Without a scan set by a test ({@link EcrApiServer#scan}), an image of a repository with
 * scan-on-push has a complete scan without findings, any other image none ({@code ScanNotFoundException}).
 */
final class EcrScans {

    private record Entry(EcrScan scan, Instant setAt, AtomicInteger calls) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String accountId;
    private final String region;
    private final Map<String, Entry> scans = new ConcurrentHashMap<>();

    EcrScans(String accountId, String region) {
        this.accountId = accountId;
        this.region = region;
    }

    /** From now on, the image {@code digest} of {@code repository} has {@code scan}; the request count starts again. */
    void set(String repository, String digest, EcrScan scan) {
        scans.put(repository + "@" + digest, new Entry(scan, Instant.now(), new AtomicInteger()));
    }

    /**
     * Answers one request for an image of {@code repository}.
     *
     * @param digestOfTag the digest a tag names in the repository, empty when none
     * @param exists      whether the repository has a manifest of that digest
     */
    ObjectNode describe(EcrApiServer.Repository repository, JsonNode in, java.util.function.Function<String, Optional<String>> digestOfTag,
                        java.util.function.Predicate<String> exists, int pageCap) {
        JsonNode id = in.path("imageId");
        String digest = id.path("imageDigest").asText(null);
        String tag = id.path("imageTag").asText(null);
        if (digest == null && tag == null) {
            throw new EcrOperations.EcrError("InvalidParameterException",
                    "Invalid parameter at 'imageId' failed to satisfy constraint: imageDigest or imageTag is required");
        }
        if (digest == null) {
            digest = digestOfTag.apply(tag).orElse(null);
        } else if (tag != null && !digestOfTag.apply(tag).equals(Optional.of(digest))) {
            digest = null;
        }
        String shown = "{imageDigest:'" + (digest != null ? digest : id.path("imageDigest").asText("null"))
                + "', imageTag:'" + (tag == null ? "null" : tag) + "'}";
        if (digest == null || !exists.test(digest)) {
            throw new EcrOperations.EcrError("ImageNotFoundException", "The image with imageId " + shown
                    + " does not exist within the repository with name '" + repository.name()
                    + "' in the registry with id '" + accountId + "'");
        }
        Entry entry = scans.get(repository.name() + "@" + digest);
        if (entry == null && repository.scanOnPush()) {
            entry = new Entry(EcrScan.basic(), Instant.EPOCH, new AtomicInteger());
        }
        if (entry == null) {
            throw notFound(shown, repository);
        }
        EcrScan scan = entry.scan();
        int call = entry.calls().incrementAndGet();
        if (call <= scan.notStartedCalls()) {
            throw notFound(shown, repository);
        }
        ObjectNode out = JSON.createObjectNode().put("registryId", accountId).put("repositoryName", repository.name());
        ObjectNode imageId = out.putObject("imageId").put("imageDigest", digest);
        if (tag != null) {
            imageId.put("imageTag", tag);
        }
        if (call <= scan.notStartedCalls() + scan.pendingCalls()
                || Instant.now().isBefore(entry.setAt().plus(scan.pendingFor()))) {
            out.putObject("imageScanStatus").put("status", "IN_PROGRESS");
            return out;
        }
        out.putObject("imageScanStatus").put("status", scan.status()).put("description", scan.description());
        if (!scan.hasFindings()) {
            return out;
        }
        int max = in.path("maxResults").asInt(100);
        if (max < 1 || max > 1000) {
            throw new EcrOperations.EcrError("InvalidParameterException",
                    "Invalid parameter at 'maxResults' failed to satisfy constraint: must be between 1 and 1000");
        }
        int page = Math.min(max, pageCap);
        int from = 0;
        if (in.hasNonNull("nextToken")) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(in.get("nextToken").asText()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new EcrOperations.EcrError("InvalidParameterException", "Invalid parameter at 'nextToken': invalid pagination token");
            }
        }
        ObjectNode findings = out.putObject("imageScanFindings");
        Instant completed = entry.setAt().plus(scan.pendingFor());
        findings.put("imageScanCompletedAt", epochSeconds(completed))
                .put("vulnerabilitySourceUpdatedAt", epochSeconds(completed.minusSeconds(3600)));
        Map<String, Integer> counts = new TreeMap<>();
        scan.findings().forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        ObjectNode severityCounts = findings.putObject("findingSeverityCounts");
        counts.forEach(severityCounts::put);
        List<EcrScan.Finding> slice = scan.findings().subList(Math.min(from, scan.findings().size()),
                Math.min(from + page, scan.findings().size()));
        ArrayNode list = findings.putArray(scan.enhanced() ? "enhancedFindings" : "findings");
        for (EcrScan.Finding f : slice) {
            if (scan.enhanced()) {
                list.add(enhanced(f, repository.name(), digest, completed));
            } else {
                list.add(basic(f));
            }
        }
        if (from + page < scan.findings().size()) {
            out.put("nextToken", Base64.getEncoder().encodeToString(String.valueOf(from + page).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private EcrOperations.EcrError notFound(String shown, EcrApiServer.Repository repository) {
        return new EcrOperations.EcrError("ScanNotFoundException", "Image scan does not exist for the image with '" + shown
                + "' in the repository with name '" + repository.name() + "' in the registry with id '" + accountId + "'");
    }

    /** A basic scanning finding: {@code name} is the CVE id. */
    private static ObjectNode basic(EcrScan.Finding f) {
        ObjectNode finding = JSON.createObjectNode().put("name", f.id())
                .put("description", "A flaw was found in " + f.packageName() + ".")
                .put("uri", "https://security-tracker.debian.org/tracker/" + f.id())
                .put("severity", f.severity());
        ArrayNode attributes = finding.putArray("attributes");
        attributes.addObject().put("key", "package_version").put("value", "3.0.11-1~deb12u2");
        attributes.addObject().put("key", "package_name").put("value", f.packageName());
        attributes.addObject().put("key", "CVSS2_VECTOR").put("value", "AV:N/AC:L/Au:N/C:P/I:P/A:P");
        attributes.addObject().put("key", "CVSS2_SCORE").put("value", "7.5");
        return finding;
    }

    /** An enhanced scanning (Amazon Inspector) finding: the CVE id is {@code packageVulnerabilityDetails.vulnerabilityId}. */
    private ObjectNode enhanced(EcrScan.Finding f, String repository, String digest, Instant at) {
        ObjectNode finding = JSON.createObjectNode().put("awsAccountId", accountId)
                .put("description", "A flaw was found in " + f.packageName() + ".")
                .put("findingArn", "arn:aws:inspector2:" + region + ":" + accountId + ":finding/"
                        + Integer.toHexString((repository + digest + f.id()).hashCode()))
                .put("firstObservedAt", epochSeconds(at)).put("lastObservedAt", epochSeconds(at));
        ObjectNode details = finding.putObject("packageVulnerabilityDetails")
                .put("source", "DEBIAN_CVE").put("sourceUrl", "https://security-tracker.debian.org/tracker/" + f.id())
                .put("vulnerabilityId", f.id());
        details.putArray("referenceUrls").add("https://www.cve.org/CVERecord?id=" + f.id());
        details.putArray("vulnerablePackages").addObject().put("name", f.packageName()).put("version", "3.0.11")
                .put("release", "1~deb12u2").put("arch", "AMD64").put("packageManager", "OS").put("epoch", 0);
        finding.putObject("remediation").putObject("recommendation").put("text", "None Provided");
        ObjectNode resource = finding.putArray("resources").addObject().put("type", "AWS_ECR_CONTAINER_IMAGE")
                .put("id", "arn:aws:ecr:" + region + ":" + accountId + ":repository/" + repository + "/" + digest);
        resource.putObject("details").putObject("awsEcrContainerImage").put("architecture", "amd64")
                .put("imageHash", digest).put("platform", "DEBIAN_12").put("registry", accountId)
                .put("repositoryName", repository);
        finding.put("score", 7.5).put("severity", f.severity()).put("status", "ACTIVE")
                .put("title", f.id() + " - " + f.packageName()).put("type", "PACKAGE_VULNERABILITY")
                .put("updatedAt", epochSeconds(at));
        return finding;
    }

    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
