package dev.freshen.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy check that holds docs/iam/*.json to what the services were recorded doing. */
class IamPolicyTest {

    private static final Map<String, String> PLACEHOLDERS = Map.of("REGION", "us-east-1", "ACCOUNT_ID", "123456789012");
    private static final String REPO = "arn:aws:ecr:us-east-1:123456789012:repository/platform/dotnet/runtime";
    private static final IamPolicy PULL = IamPolicy.parse("""
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Login", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
              {"Sid": "Pull", "Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
               "Resource": "arn:aws:ecr:REGION:ACCOUNT_ID:repository/platform/*"}]}
            """, "pull.json");

    @Test
    void exactlyWhatWasUsedHasNoDifferences() {
        assertEquals(List.of(), PULL.differences(Map.of("ecr:GetAuthorizationToken", Set.of("*"),
                "ecr:BatchGetImage", Set.of(REPO), "ecr:GetDownloadUrlForLayer", Set.of(REPO)), PLACEHOLDERS));
    }

    @Test
    void aNewCallWithoutAStatementIsADifference() {
        List<String> differences = PULL.differences(Map.of("ecr:GetAuthorizationToken", Set.of("*"),
                "ecr:BatchGetImage", Set.of(REPO), "ecr:GetDownloadUrlForLayer", Set.of(REPO),
                "ecr:PutImage", Set.of(REPO)), PLACEHOLDERS);
        assertEquals(List.of("ecr:PutImage on " + REPO + " is used, but no statement allows it"), differences);
    }

    @Test
    void aUseOutsideTheStatementsRepositoriesIsADifference() {
        String elsewhere = "arn:aws:ecr:us-east-1:123456789012:repository/staging/runtime";
        List<String> differences = PULL.differences(Map.of("ecr:GetAuthorizationToken", Set.of("*"),
                "ecr:BatchGetImage", Set.of(REPO, elsewhere), "ecr:GetDownloadUrlForLayer", Set.of(REPO)), PLACEHOLDERS);
        assertEquals(List.of("ecr:BatchGetImage on " + elsewhere + " is used, but no statement allows it"), differences);
    }

    @Test
    void anAllowedActionNobodyUsedIsADifference() {
        List<String> differences = PULL.differences(Map.of("ecr:GetAuthorizationToken", Set.of("*"),
                "ecr:BatchGetImage", Set.of(REPO)), PLACEHOLDERS);
        assertEquals(1, differences.size(), differences.toString());
        assertTrue(differences.get(0).startsWith("statement Pull allows ecr:GetDownloadUrlForLayer on "), differences.get(0));
    }

    @Test
    void aRepositoryActionAllowedOnEveryResourceIsADifference() {
        IamPolicy broad = IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"], "Resource": "*"}]}
                """, "broad.json");
        List<String> differences = broad.differences(Map.of("ecr:GetAuthorizationToken", Set.of("*"),
                "ecr:BatchGetImage", Set.of(REPO)), PLACEHOLDERS);
        assertEquals(List.of("statement #1 allows ecr:BatchGetImage on every resource ('*'), but it was only used on ["
                + REPO + "]: scope it to the repositories"), differences);
    }

    @Test
    void resourcesMatchAsIamMatchesArns() {
        assertTrue(IamPolicy.matches("arn:aws:ecr:*:*:repository/platform/*", REPO), "* spans slashes");
        assertTrue(IamPolicy.matches("arn:aws:ecr:us-east-?:123456789012:repository/platform/dotnet/runtime", REPO));
        assertFalse(IamPolicy.matches("arn:aws:ecr:us-east-1:123456789012:repository/platform", REPO));
        assertFalse(IamPolicy.matches("arn:aws:ecr:us-east-1:123456789012:repository/platform.*", REPO), "dots are literal");
    }

    @Test
    void onlyPlainAllowStatementsWithNamedActionsAreAccepted() {
        var deny = assertThrows(IllegalArgumentException.class, () -> IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "No", "Effect": "Deny", "Action": "ecr:*", "Resource": "*"}]}
                """, "deny.json"));
        assertEquals("deny.json, statement No: \"Effect\" must be \"Allow\"", deny.getMessage());
        var wildcard = assertThrows(IllegalArgumentException.class, () -> IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:Batch*", "Resource": "*"}]}
                """, "wild.json"));
        assertTrue(wildcard.getMessage().contains("has a wildcard"), wildcard.getMessage());
        var condition = assertThrows(IllegalArgumentException.class, () -> IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:ListImages", "Resource": "*",
                  "Condition": {}}]}
                """, "cond.json"));
        assertTrue(condition.getMessage().contains("\"Condition\" is not supported"), condition.getMessage());
    }
}
