package dev.freshen.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IAM actions the ECR double ({@link EcrApiServer} and its registry endpoint) authorized, per principal: each ECR
 * API call and each distribution API request, as the action AWS evaluates for it and the resource it is on (a
 * repository ARN, or {@code *} for {@code ecr:GetAuthorizationToken}). What a service's ITs record is what that
 * service's IAM policy must allow, no more and no less ({@link #verify}). Thread-safe.
 */
public final class IamRecording {

    /** One authorized action: who ({@link EcrApiServer.Principal#name()}), the IAM action, the resource ARN or {@code *}. */
    public record Grant(String principal, String action, String resource) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Set<Grant> grants = ConcurrentHashMap.newKeySet();

    void record(String principal, String action, String resource) {
        grants.add(new Grant(principal, action, resource));
    }

    /** What {@code principal} was allowed so far: IAM action to the resources it was used on, sorted. */
    public SortedMap<String, SortedSet<String>> of(String principal) {
        SortedMap<String, SortedSet<String>> actions = new TreeMap<>();
        for (Grant grant : grants) {
            if (grant.principal().equals(principal)) {
                actions.computeIfAbsent(grant.action(), a -> new TreeSet<>()).add(grant.resource());
            }
        }
        return Collections.unmodifiableSortedMap(actions);
    }

    /**
     * Writes what {@code principal} used to {@code file} as JSON ({@code {"principal": ..., "actions": {"ecr:X":
     * ["arn:...", ...]}}}), creating its folder.
     */
    public void write(String principal, Path file) {
        ObjectNode out = JSON.createObjectNode().put("principal", principal);
        ObjectNode actions = out.putObject("actions");
        of(principal).forEach((action, resources) -> resources.forEach(actions.withArray(action)::add));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the IAM recording " + file, e);
        }
    }

    /**
     * Writes the recording of {@code principal} to {@code report}, then fails unless the IAM policy in {@code policy}
     * allows exactly what was recorded ({@link IamPolicy#differences}): a call without a statement allowing it fails,
     * and so does an allowed action no call used. The policy's {@code REGION} and {@code ACCOUNT_ID} placeholders
     * stand for the double's region and account.
     *
     * @throws AssertionError naming every difference, the policy and the report
     */
    public void verify(String principal, Path policy, Path report) {
        write(principal, report);
        List<String> differences = IamPolicy.read(policy).differences(of(principal),
                Map.of("REGION", EcrApiServer.REGION, "ACCOUNT_ID", EcrApiServer.ACCOUNT_ID));
        if (!differences.isEmpty()) {
            throw new AssertionError("the IAM policy " + policy.toAbsolutePath().normalize() + " does not match what " + principal
                    + " did against ECR (recorded in " + report.toAbsolutePath().normalize() + "); update the policy (and "
                    + "docs/production.md) or the code:\n  - " + String.join("\n  - ", differences));
        }
    }
}
