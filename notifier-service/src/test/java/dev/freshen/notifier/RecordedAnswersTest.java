package dev.freshen.notifier;

import dev.freshen.notifier.slack.SlackAnswers;
import dev.freshen.notifier.teams.TeamsFlavor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every channel type's success rule against the answers its endpoints really give (src/test/resources/answers). */
class RecordedAnswersTest {

    private static final Map<String, AnswerRule> RULES = Map.of(
            "teams-legacy", TeamsFlavor.LEGACY.rule(),
            "teams-workflows", TeamsFlavor.WORKFLOWS.rule(),
            "slack", SlackAnswers.RULE,
            "webhook", AnswerRule.HTTP);

    static List<RecordedAnswer> answers() {
        return RecordedAnswer.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void theChannelsRuleReadsTheAnswerAsExpected(RecordedAnswer recorded) {
        AnswerRule rule = RULES.get(recorded.rule());
        assertTrue(rule != null, "no rule for folder " + recorded.rule());
        Verdict verdict = rule.judge(recorded.answer());
        assertEquals(recorded.expect(), verdict.kind(), recorded + " (" + String.join("; ", recorded.sources()) + ")");
    }

    @Test
    void everyRuleHasRecordedSuccessesAndFailures() {
        Map<String, Set<Verdict.Kind>> seen = answers().stream().collect(Collectors.groupingBy(RecordedAnswer::rule,
                Collectors.mapping(RecordedAnswer::expect, Collectors.toSet())));
        assertEquals(RULES.keySet(), seen.keySet());
        seen.forEach((rule, kinds) -> {
            assertTrue(kinds.contains(Verdict.Kind.ACCEPTED), rule + " has no accepted answer");
            assertTrue(kinds.size() > 1, rule + " has no refused answer");
        });
    }
}
