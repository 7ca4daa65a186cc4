package dev.freshen.tester;

import dev.freshen.descriptor.Checks;
import dev.freshen.events.CheckResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyChecksTest {

    private static final Checks ALL = new Checks(Checks.User.NON_ROOT, List.of("org.opencontainers.image.base.digest"),
            List.of("APP_UID"), List.of("/etc/passwd", "/missing"), List.of(List.of("dotnet", "--info"), List.of("false")));

    @Test
    void everyCheckYieldsANamedResult() {
        ImageFacts facts = new ImageFacts("1654", List.of("APP_UID=1654", "PATH=/bin"),
                Map.of("org.opencontainers.image.base.digest", "sha256:abc"));
        List<CheckResult> results = PolicyChecks.evaluate(ALL, facts, Set.of("/etc/passwd")::contains,
                argv -> argv.get(0).equals("false") ? new CommandResult(1, "line1\nboom") : new CommandResult(0, "ok"));

        assertEquals(List.of("user: non-root", "label: org.opencontainers.image.base.digest", "env: APP_UID",
                "file: /etc/passwd", "file: /missing", "command: dotnet --info", "command: false"),
                results.stream().map(CheckResult::name).toList());
        assertEquals(List.of(true, true, true, true, false, true, false),
                results.stream().map(CheckResult::passed).toList());
        assertEquals("exit 1: line1\nboom", results.get(6).detail());
    }

    @Test
    void rootIsNoUserRootOrUidZero() {
        for (String user : List.of("", "root", "0", "0:0", "root:root")) {
            assertTrue(new ImageFacts(user, null, null).runsAsRoot(), user);
        }
        for (String user : List.of("1654", "app", "1654:1654", "rooter")) {
            assertFalse(new ImageFacts(user, null, null).runsAsRoot(), user);
        }
        CheckResult root = PolicyChecks.evaluate(new Checks(Checks.User.NON_ROOT, null, null, null, null),
                new ImageFacts(null, null, null), p -> true, a -> null).get(0);
        assertFalse(root.passed());
        assertEquals("no USER set: the image runs as root", root.detail());
    }

    @Test
    void noChecksNoResults() {
        assertEquals(List.of(), PolicyChecks.evaluate(Checks.NONE, new ImageFacts("", null, null), p -> false, a -> null));
    }
}
