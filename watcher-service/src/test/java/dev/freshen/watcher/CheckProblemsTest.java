package dev.freshen.watcher;

import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.RegistryException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failed check's problem code, from what the check ran into. */
class CheckProblemsTest {

    @Test
    void eachKindOfFailureHasItsCode() {
        assertEquals("base-image-missing", CheckProblems.code(new CheckProblems.BaseImageMissing(
                ImageReference.parse("mcr.microsoft.com/dotnet/runtme:10.0"))));
        assertEquals("registry-auth-failed", CheckProblems.code(new RegistryException("401", 401, false, "UNAUTHORIZED")));
        assertEquals("registry-auth-failed", CheckProblems.code(new RegistryException("403", 403, false, "DENIED")));
        assertEquals("registry-unreachable", CheckProblems.code(new RegistryException("connection refused", 0, true, null)));
        assertEquals("registry-error", CheckProblems.code(new RegistryException("503", 503, true, null)));
        assertEquals("registry-error", CheckProblems.code(new RegistryException("429", 429, true, "TOOMANYREQUESTS")));
        assertEquals("registry-error", CheckProblems.code(new RegistryException("digest mismatch", 0, false, null)));
        assertEquals("check-failed", CheckProblems.code(new IllegalStateException("anything else")));
    }
}
