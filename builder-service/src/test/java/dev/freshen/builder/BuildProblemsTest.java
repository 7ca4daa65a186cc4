package dev.freshen.builder;

import dev.freshen.docker.BuildFailure;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.StringConstants;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildProblemsTest {

    private static final BuildSettings SETTINGS = new BuildSettings("registry.example.com", new dev.freshen.descriptor.Staging(
            Optional.of("staging.example.com"), dev.freshen.descriptor.Staging.DEFAULT_TEMPLATE), Duration.ofMinutes(45), 40, RetryPolicy.once(),
            dev.freshen.events.image.Platform.LINUX_AMD64);

    @Test
    void everyBuildProblemCodeHasAHintInPlainWords() {
        List<String> codes = new ArrayList<>(StringConstants.of(BuildFailure.class));
        codes.addAll(StringConstants.of(BuildProblems.class));
        assertEquals(13, codes.size(), codes.toString());
        for (String code : codes) {
            String hint = BuildProblems.hint(code, "net10/runtime", SETTINGS);
            assertNotNull(hint, code);
            assertTrue(hint.endsWith("."), code + ": one sentence: " + hint);
            assertFalse(hint.matches("(?s).*\\bPT\\d.*"), code + ": no ISO-8601 durations: " + hint);
            assertFalse(hint.matches("(?s).*\\b[A-Z][a-z]+(Exception|Failure)\\b.*"), code + ": no class names: " + hint);
        }
    }

    @Test
    void hintsNameTheImageAndTheSettingInForce() {
        assertTrue(BuildProblems.hint(BuildFailure.STEP_FAILED, "net10/runtime", SETTINGS).contains("net10/runtime/Dockerfile"));
        assertTrue(BuildProblems.hint(BuildFailure.TIMED_OUT, "net10/runtime", SETTINGS)
                .contains("freshen.builder.build-timeout (now 45m 00s)"));
        assertTrue(BuildProblems.hint(BuildFailure.PUSH_FAILED, "net10/runtime", SETTINGS).contains("staging.example.com"));
        assertNull(BuildProblems.hint("something-newer", "net10/runtime", SETTINGS));
    }
}
