package dev.freshen.tester;

import dev.freshen.descriptor.IntegrationTest;
import dev.freshen.tester.http.AppProbe;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class VerdictTest {

    private static final IntegrationTest TEST = new IntegrationTest("apps/echo", null, "base:1", 8080,
            new IntegrationTest.Request("POST", "/MyService", null, "{}"), new IntegrationTest.Expect(200, "freshen"),
            null, false);

    @Test
    void theExpectedStatusAndBodyPass() {
        assertNull(VerificationStage.verdict(TEST, new AppProbe.Answer(200, "hello freshen", Duration.ofMillis(5), null), "POST /MyService"));
    }

    @Test
    void aWrongStatusAMissingStringOrNoAnswerFailWithTheReason() {
        assertEquals("POST /MyService answered 500, expected 200", VerificationStage.verdict(TEST,
                new AppProbe.Answer(500, "oops", Duration.ZERO, null), "POST /MyService"));
        assertEquals("POST /MyService answered 200 but the body does not contain 'freshen'", VerificationStage.verdict(TEST,
                new AppProbe.Answer(200, "hello", Duration.ZERO, null), "POST /MyService"));
        assertEquals("POST /MyService: no answer within the start-up timeout", VerificationStage.verdict(TEST,
                new AppProbe.Answer(0, null, Duration.ZERO, "no answer within the start-up timeout"), "POST /MyService"));
    }
}
