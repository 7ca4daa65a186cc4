package dev.freshen.ecr.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The staging lifecycle policy, checked as the document ECR reads (its effect cannot be observed here). */
class LifecyclePolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void expiresCandidateTagsAndUntaggedImagesAfterTheConfiguredDays() throws Exception {
        JsonNode policy = JSON.readTree(LifecyclePolicy.document("candidate-", 7));

        assertEquals(1, policy.size(), "only rules: " + policy);
        JsonNode rules = policy.get("rules");
        assertEquals(2, rules.size());
        JsonNode candidates = rules.get(0);
        assertEquals(1, candidates.get("rulePriority").asInt());
        assertEquals(JSON.readTree("""
                {"tagStatus": "tagged", "tagPrefixList": ["candidate-"], "countType": "sinceImagePushed",
                 "countUnit": "days", "countNumber": 7}"""), candidates.get("selection"));
        assertEquals(JSON.readTree("{\"type\": \"expire\"}"), candidates.get("action"));
        JsonNode untagged = rules.get(1);
        assertEquals(2, untagged.get("rulePriority").asInt());
        assertEquals(JSON.readTree("""
                {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7}"""),
                untagged.get("selection"));
        assertEquals(JSON.readTree("{\"type\": \"expire\"}"), untagged.get("action"));
        for (JsonNode rule : rules) {
            assertTrue(rule.get("description").asText().length() <= 256);
            assertTrue(rule.get("selection").get("countNumber").isInt(), "ECR wants an integer");
        }
    }

    @Test
    void theAgeIsConfigurable() throws Exception {
        JsonNode policy = JSON.readTree(LifecyclePolicy.document("candidate-", 30));
        assertEquals(30, policy.at("/rules/0/selection/countNumber").asInt());
        assertEquals(30, policy.at("/rules/1/selection/countNumber").asInt());
    }

    @Test
    void theSameDocumentReformattedIsTheSame() throws Exception {
        String policy = LifecyclePolicy.document("candidate-", 7);
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(policy));
        assertTrue(!pretty.equals(policy));
        assertTrue(LifecyclePolicy.sameDocument(policy, pretty));
        assertFalse(LifecyclePolicy.sameDocument(policy, LifecyclePolicy.document("candidate-", 8)));
        assertFalse(LifecyclePolicy.sameDocument(policy, null));
    }
}
