package dev.freshen.watcher.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optional body of a force-update: none or {"reason": "..."}; anything else a bad-body problem in plain words. */
class ForceUpdateBodyTest {

    private static final String JSON = "application/json; charset=UTF-8";

    @Test
    void noBodyOrAReason() {
        assertNull(ImagesResource.reason(JSON, null));
        assertNull(ImagesResource.reason(JSON, "  "));
        assertNull(ImagesResource.reason(JSON, "{}"));
        assertNull(ImagesResource.reason(JSON, "{\"reason\": null}"));
        assertEquals("CVE fix", ImagesResource.reason(JSON, "{\"reason\": \"CVE fix\"}"));
    }

    @Test
    void anEmptyBodyMayComeWithAnyTypeAFullOneMustBeJson() {
        assertNull(ImagesResource.reason("application/x-www-form-urlencoded", ""));
        assertEquals("x", ImagesResource.reason(null, "{\"reason\": \"x\"}"));
        assertEquals("x", ImagesResource.reason("application/merge-patch+json", "{\"reason\": \"x\"}"));
        ApiProblem problem = assertThrows(ApiProblem.class,
                () -> ImagesResource.reason("application/x-www-form-urlencoded", "{\"reason\": \"x\"}"));
        assertEquals(415, problem.status());
        assertEquals("the body is application/x-www-form-urlencoded; this endpoint takes JSON", problem.getMessage());
    }

    @Test
    void anythingElseSaysWhatIsWrong() {
        Map<String, String> cases = Map.of(
                "reason: CVE", "the body is not JSON (line 1, column 1)",
                "{\"reason\": \"x\",,}", "the body is not JSON (line 1, column 16)",
                "{\"reasn\": \"x\"}", "the body has an unknown field 'reasn'",
                "[\"x\"]", "the body must be a JSON object, is array",
                "{\"reason\": 5}", "'reason' must be a string, is number");
        cases.forEach((body, detail) -> {
            ApiProblem problem = assertThrows(ApiProblem.class, () -> ImagesResource.reason(JSON, body));
            assertEquals(400, problem.status());
            assertEquals("bad-body", problem.code());
            assertEquals(detail, problem.getMessage(), body);
            assertTrue(problem.problem().hint().contains("Content-Type: application/json"));
        });
    }
}
