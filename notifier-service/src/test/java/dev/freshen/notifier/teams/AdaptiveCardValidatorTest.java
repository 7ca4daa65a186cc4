package dev.freshen.notifier.teams;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The card check can fail: it rejects what Teams would not render as written. */
class AdaptiveCardValidatorTest {

    @Test
    void rejectsTheSeedsCardWhoseTextBlockSizeDoesNotExist() {
        List<String> problems = AdaptiveCardValidator.problems("""
                {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":
                 {"type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"Published","size":"High"}]}}]}
                """);
        assertEquals(List.of("attachments[0].content: InvalidPropertyValue: Invalid value \"High\" for property \"size\"."),
                problems);
    }

    @Test
    void rejectsElementsAndPropertiesNewerThanVersion14() {
        List<String> problems = AdaptiveCardValidator.problems("""
                {"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"t","style":"heading"},
                 {"type":"Table","columns":[]}]}""");
        assertTrue(problems.stream().anyMatch(p -> p.contains("version 1.5 is above 1.4")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("Property \"style\" is supported in version 1.5")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("Unknown element type \"Table\"")), problems::toString);
    }

    @Test
    void rejectsAMessageWithoutACardAttachment() {
        List<String> problems = AdaptiveCardValidator.problems("""
                {"type":"message","attachments":[{"contentType":"text/plain","content":"hi"}]}""");
        assertEquals(List.of("attachments[0]: contentType must be \"application/vnd.microsoft.card.adaptive\""), problems);
    }

    @Test
    void acceptsAValidCard() {
        AdaptiveCardValidator.assertValid("""
                {"type":"AdaptiveCard","version":"1.4","msteams":{"width":"Full"},
                 "body":[{"type":"TextBlock","text":"Published","size":"Large","weight":"Bolder","wrap":true}]}""");
    }
}
