package dev.freshen.notifier;

/**
 * How one kind of endpoint says that it took a post: the rule turns its {@link Answer} into a {@link Verdict}. Each
 * channel type has its own (a legacy Teams webhook answers {@code 200} both when it posted the card and when it did
 * not; Slack answers {@code ok}); the rules are pure, so they are tested against recorded answers.
 */
@FunctionalInterface
public interface AnswerRule {

    /** Plain HTTP ({@link Verdict#byStatus}): any 2xx is accepted, whatever the body. Generic webhooks, Workflows. */
    AnswerRule HTTP = answer -> Verdict.byStatus(answer.status());

    Verdict judge(Answer answer);
}
