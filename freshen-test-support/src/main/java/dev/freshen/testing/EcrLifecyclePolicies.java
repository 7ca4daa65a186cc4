package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.freshen.testing.EcrOperations.epochSeconds;
import static dev.freshen.testing.EcrOperations.invalid;

/**
 * The ECR double's lifecycle policies, per repository: {@code PutLifecyclePolicy} (the document checked as ECR checks
 * it, kept as sent) and {@code GetLifecyclePolicy} ({@code LifecyclePolicyNotFoundException} when none was put). The
 * repository is checked by {@link EcrOperations}; policies are never evaluated (their effect cannot be observed here).
 */
final class EcrLifecyclePolicies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String accountId;
    private final Map<String, String> byRepository = new ConcurrentHashMap<>();

    EcrLifecyclePolicies(String accountId) {
        this.accountId = accountId;
    }

    /** The policy text put on {@code repository}, if any. */
    Optional<String> of(String repository) {
        return Optional.ofNullable(byRepository.get(repository));
    }

    /**
     * {@code PutLifecyclePolicy}: the policy text is checked as ECR checks a lifecycle policy document (rules with a
     * unique positive {@code rulePriority}, {@code selection.tagStatus} tagged/untagged/any, {@code tagPrefixList} or
     * {@code tagPatternList} with tagged, {@code countType} imageCountMoreThan or sinceImagePushed with
     * {@code countUnit: days}, a positive integer {@code countNumber}, {@code action.type: expire}) and kept as sent.
     */
    ObjectNode put(String repository, String text) {
        if (text.length() < 100 || text.length() > 30720) {
            throw invalid("lifecyclePolicyText", "length must be between 100 and 30720");
        }
        JsonNode policy;
        try {
            policy = JSON.readTree(text);
        } catch (IOException e) {
            throw new EcrOperations.EcrError("InvalidParameterException", "Invalid parameter at 'LifecyclePolicyText' "
                    + "failed to satisfy constraint: 'Lifecycle policy validation failure: not valid JSON'");
        }
        String problem = problem(policy);
        if (problem != null) {
            throw new EcrOperations.EcrError("InvalidParameterException", "Invalid parameter at 'LifecyclePolicyText' "
                    + "failed to satisfy constraint: 'Lifecycle policy validation failure: " + problem + "'");
        }
        byRepository.put(repository, text);
        return answer(repository, text);
    }

    /** {@code GetLifecyclePolicy}: the text as put, or {@code LifecyclePolicyNotFoundException} as ECR answers. */
    ObjectNode get(String repository) {
        String text = byRepository.get(repository);
        if (text == null) {
            throw new EcrOperations.EcrError("LifecyclePolicyNotFoundException", "Lifecycle policy does not exist for "
                    + "the repository with name '" + repository + "' in the registry with id '" + accountId + "'");
        }
        return answer(repository, text).put("lastEvaluatedAt", epochSeconds(Instant.now()));
    }

    private ObjectNode answer(String repository, String text) {
        return JSON.createObjectNode().put("registryId", accountId).put("repositoryName", repository)
                .put("lifecyclePolicyText", text);
    }

    /** What ECR would refuse in the document, or null. */
    private static String problem(JsonNode policy) {
        if (!policy.path("rules").isArray() || policy.path("rules").isEmpty()) {
            return "rules is required";
        }
        Set<Integer> priorities = new HashSet<>();
        for (JsonNode rule : policy.get("rules")) {
            if (!rule.path("rulePriority").isInt() || rule.get("rulePriority").asInt() < 1
                    || !priorities.add(rule.get("rulePriority").asInt())) {
                return "rulePriority must be a unique positive integer";
            }
            JsonNode selection = rule.path("selection");
            String status = selection.path("tagStatus").asText("");
            if (!Set.of("tagged", "untagged", "any").contains(status)) {
                return "tagStatus must be tagged, untagged or any";
            }
            if (status.equals("tagged") && selection.path("tagPrefixList").isEmpty()
                    && selection.path("tagPatternList").isEmpty()) {
                return "tagPrefixList or tagPatternList is required with tagStatus tagged";
            }
            String countType = selection.path("countType").asText("");
            if (countType.equals("sinceImagePushed")) {
                if (!"days".equals(selection.path("countUnit").asText(""))) {
                    return "countUnit must be days with sinceImagePushed";
                }
            } else if (!countType.equals("imageCountMoreThan")) {
                return "countType must be imageCountMoreThan or sinceImagePushed";
            }
            if (!selection.path("countNumber").isInt() || selection.get("countNumber").asInt() < 1) {
                return "countNumber must be a positive integer";
            }
            if (!"expire".equals(rule.path("action").path("type").asText(""))) {
                return "action.type must be expire";
            }
        }
        return null;
    }
}
