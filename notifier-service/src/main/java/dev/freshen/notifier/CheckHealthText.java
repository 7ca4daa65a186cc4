package dev.freshen.notifier;

import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;

import java.time.Duration;

/**
 * The wording of a {@link ChecksFailed} and a {@link ChecksRecovered} notification, shared by Teams and Slack so that
 * both say the same: "net10/runtime: checks failing" with the reason, what it means and what to do (by problem code;
 * a code this version does not know gets the general advice), and "net10/runtime: checks pass again" with how long
 * they failed. The reason is {@link OutcomeText#plain plain}.
 */
public final class CheckHealthText {

    private CheckHealthText() {
    }

    /** "net10/runtime: checks failing". */
    public static String title(ChecksFailed event) {
        return event.imageId() + ": checks failing";
    }

    /** "net10/runtime: checks pass again". */
    public static String title(ChecksRecovered event) {
        return event.imageId() + ": checks pass again";
    }

    /** The last failure's reason, as plain text. */
    public static String reason(ChecksFailed event) {
        return OutcomeText.plain(event.reason()).strip();
    }

    /** The title and the reason in one line: the text of a notification's preview. */
    public static String summary(ChecksFailed event) {
        return title(event) + " (" + cycles(event.consecutiveFailures()) + " in a row): " + reason(event);
    }

    /** The title and how long, in one line. */
    public static String summary(ChecksRecovered event) {
        return title(event) + " after " + cycles(event.failedCycles()) + " (" + failedFor(event) + ")";
    }

    /** What a failing check means for the image. */
    public static String consequence(ChecksFailed event) {
        int n = event.consecutiveFailures();
        return (n == 1 ? "A check" : n + " checks in a row") + " of " + event.imageId() + " failed, the first at "
                + OutcomeText.time(event.failingSince()) + ": while its checks fail, a change of its bases upstream is "
                + "not seen and the image is not rebuilt. What was published stays as it is. Freshen announces when a "
                + "check passes again.";
    }

    /** What to do, by the problem code. */
    public static String whatToDo(ChecksFailed event) {
        String advice = switch (event.code()) {
            case "base-image-missing" -> "A base tag of the Dockerfile does not exist upstream (removed, renamed, or a "
                    + "typo): change the FROM line to a tag that exists.";
            case "registry-auth-failed" -> "The registry refused the watcher's credentials: renew them or fix them "
                    + "(freshen.registries.credentials.<name>, or the ECR role), and check that they may read the "
                    + "repository.";
            case "registry-unreachable" -> "The watcher cannot reach the registry: check DNS, the proxy, firewall "
                    + "rules and TLS from the watcher to it, or whether it is down.";
            case "registry-error" -> "The registry answered with an error (down, overloaded, or rate limiting): check "
                    + "its status; when it is the rate limit, give the watcher credentials for it or check less often.";
            default -> "See the watcher's log for the checks of " + event.imageId() + ".";
        };
        return advice + " To check again now: freshen check " + event.imageId() + ". 'freshen status "
                + event.imageId() + "' shows the last failure.";
    }

    /** What the recovery means. */
    public static String consequence(ChecksRecovered event) {
        return "A check of " + event.imageId() + " passed at " + OutcomeText.time(event.recoveredAt()) + ", after "
                + cycles(event.failedCycles()) + " in a row since " + OutcomeText.time(event.failingSince())
                + ". Changes of its bases are seen again; one that happened meanwhile starts its run now.";
    }

    /** How long the checks failed, e.g. {@code 1h 05m}. */
    public static String failedFor(ChecksRecovered event) {
        return OutcomeText.duration(Duration.between(event.failingSince(), event.recoveredAt()));
    }

    /** "1 failed check", "3 failed checks". */
    public static String cycles(int n) {
        return n + (n == 1 ? " failed check" : " failed checks");
    }
}
