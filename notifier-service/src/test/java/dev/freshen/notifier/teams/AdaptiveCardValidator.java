package dev.freshen.notifier.teams;

import dev.freshen.testing.NodePackage;

import java.util.List;

/**
 * Validates Adaptive Cards with the official parser, the npm package {@code adaptivecards} run by node: the script
 * {@code src/test/node/validate-card.js} parses each card (or each card attachment of a Teams message) with a
 * {@code SerializationContext} for version 1.4 and reports every parse error or warning and every
 * {@code validateProperties()} failure. The package (pinned {@value #VERSION}) is installed by {@link NodePackage}
 * into {@code target/adaptivecards}.
 */
public final class AdaptiveCardValidator {

    /** The pinned version of the npm package {@code adaptivecards} (the current one when this was written). */
    public static final String VERSION = "3.0.6";

    private static final NodePackage PACKAGE = NodePackage.forThisModule("adaptivecards", VERSION);

    private AdaptiveCardValidator() {
    }

    /** The problems the parser reports for {@code json} (a card or a Teams message); empty when it is valid. */
    public static List<String> problems(String json) {
        NodePackage.Result result = PACKAGE.run("validate-card.js", json, 60);
        if (result.exit() == 0) {
            return List.of();
        }
        if (result.exit() == 1) {
            return result.output().lines().filter(l -> !l.isBlank()).toList();
        }
        throw new IllegalStateException("validate-card.js failed (exit " + result.exit() + "): " + result.output());
    }

    /** Fails with the parser's messages unless {@code json} is a valid card or Teams message. */
    public static void assertValid(String json) {
        List<String> problems = problems(json);
        if (!problems.isEmpty()) {
            throw new AssertionError("the Adaptive Card parser (adaptivecards " + VERSION + ") rejects the card:\n  "
                    + String.join("\n  ", problems) + "\n" + json);
        }
    }
}
