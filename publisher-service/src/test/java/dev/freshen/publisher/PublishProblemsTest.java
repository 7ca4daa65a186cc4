package dev.freshen.publisher;

import dev.freshen.testing.StringConstants;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishProblemsTest {

    @Test
    void everyPublishProblemCodeHasAHintInPlainWords() {
        List<String> codes = new ArrayList<>(StringConstants.of(PublishFailure.class));
        codes.addAll(StringConstants.of(PublishProblems.class));
        assertEquals(12, codes.size(), codes.toString());
        for (String code : codes) {
            String hint = PublishProblems.hint(code, "net10/runtime");
            assertNotNull(hint, code);
            assertTrue(hint.endsWith("."), code + ": one sentence: " + hint);
            assertTrue(hint.contains("net10/runtime"), code + ": names the image: " + hint);
            assertFalse(hint.matches("(?s).*\\bPT\\d.*"), code + ": no ISO-8601 durations: " + hint);
            assertFalse(hint.matches("(?s).*\\b[A-Z][a-z]+(Exception|Failure)\\b.*"), code + ": no class names: " + hint);
        }
        assertNull(PublishProblems.hint("something-newer", "net10/runtime"));
    }
}
