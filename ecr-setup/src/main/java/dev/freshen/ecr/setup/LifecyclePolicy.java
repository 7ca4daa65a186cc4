package dev.freshen.ecr.setup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The lifecycle policy of a staging repository, as an ECR lifecycle policy document (Amazon ECR User Guide,
 * "Lifecycle policy properties"): rule 1 expires images tagged {@code candidate-…} a number of days after they were
 * pushed; rule 2 expires untagged images after the same number of days. Each rule: {@code rulePriority},
 * {@code description}, {@code selection} ({@code tagStatus}, {@code tagPrefixList} for tagged images,
 * {@code countType: sinceImagePushed}, {@code countUnit: days}, {@code countNumber}) and {@code action: expire}.
 * Target repositories get none: Freshen deletes old versions itself.
 */
public final class LifecyclePolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LifecyclePolicy() {
    }

    /** The policy text for {@code PutLifecyclePolicy}: compact JSON. */
    public static String document(String candidatePrefix, int days) {
        ObjectNode policy = JSON.createObjectNode();
        ArrayNode rules = policy.putArray("rules");
        ObjectNode candidates = rules.addObject().put("rulePriority", 1)
                .put("description", "Freshen: expire candidate images " + days + " days after their push");
        ObjectNode selection = candidates.putObject("selection").put("tagStatus", "tagged");
        selection.putArray("tagPrefixList").add(candidatePrefix);
        selection.put("countType", "sinceImagePushed").put("countUnit", "days").put("countNumber", days);
        candidates.putObject("action").put("type", "expire");
        ObjectNode untagged = rules.addObject().put("rulePriority", 2)
                .put("description", "Freshen: expire untagged images " + days + " days after their push");
        untagged.putObject("selection").put("tagStatus", "untagged").put("countType", "sinceImagePushed")
                .put("countUnit", "days").put("countNumber", days);
        untagged.putObject("action").put("type", "expire");
        try {
            return JSON.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether two policy texts are the same document (ECR may hand back the text reformatted): equal as JSON, or,
     * when either is not JSON, equal as text.
     */
    public static boolean sameDocument(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        try {
            JsonNode left = JSON.readTree(a);
            JsonNode right = JSON.readTree(b);
            return left != null && left.equals(right);
        } catch (JsonProcessingException e) {
            return a.equals(b);
        }
    }

    /** One line for people: what the policy expires. */
    public static String describe(int days) {
        return "candidate-* and untagged images expire " + days + " days after their push";
    }
}
