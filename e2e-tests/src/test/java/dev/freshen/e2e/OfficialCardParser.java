package dev.freshen.e2e;

import dev.freshen.testing.Commands;
import dev.freshen.testing.NodePackage;

import java.nio.file.Path;

/**
 * The Teams cards the corpus receives, read by the official Adaptive Cards parser as the notifier's own tests read
 * them: the notifier's script {@code notifier-service/src/test/node/validate-card.js} run by node with the npm package
 * {@code adaptivecards} (the version the notifier's {@code AdaptiveCardValidator} pins), installed once into
 * {@code e2e-tests/target/adaptivecards}. Needs node and npm, and the npm registry on the first run.
 */
final class OfficialCardParser {

    /** The same pin as the notifier's {@code AdaptiveCardValidator.VERSION}. */
    static final String VERSION = "3.0.6";

    private static final Path ROOT = Commands.repositoryRoot();
    private static final NodePackage PARSER = new NodePackage("adaptivecards", VERSION,
            ROOT.resolve("e2e-tests/target/adaptivecards"), ROOT.resolve("notifier-service/src/test/node"));

    private OfficialCardParser() {
    }

    /** Fails with the parser's messages unless {@code json} (a Teams message) holds only valid cards. */
    static void assertValid(String json, String where) {
        NodePackage.Result result = PARSER.run("validate-card.js", json, 60);
        if (result.exit() != 0) {
            throw new AssertionError(where + ": the Adaptive Card parser (adaptivecards " + VERSION
                    + ") rejects the card:\n  " + result.output().strip().replace("\n", "\n  ") + "\n" + json);
        }
    }
}
