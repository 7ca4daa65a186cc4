package dev.freshen.notifier;

/**
 * What an {@link AnswerRule} made of an endpoint's answer: the post was {@link Kind#ACCEPTED accepted} (the
 * notification is delivered), or it was not and trying again {@link Kind#RETRY may help} or {@link Kind#FAIL will
 * not}. {@code reason} explains a refusal in plain words (what the endpoint meant and what to do); null when the
 * HTTP status says it all.
 */
public record Verdict(Kind kind, String reason) {

    /** The three outcomes of one post. */
    public enum Kind { ACCEPTED, RETRY, FAIL }

    private static final Verdict ACCEPTED = new Verdict(Kind.ACCEPTED, null);

    public static Verdict accepted() {
        return ACCEPTED;
    }

    public static Verdict retry(String reason) {
        return new Verdict(Kind.RETRY, reason);
    }

    public static Verdict fail(String reason) {
        return new Verdict(Kind.FAIL, reason);
    }

    /**
     * The plain HTTP reading of a status: 2xx accepted; 408 (request timeout), 425 (too early), 429 (too many
     * requests) and 5xx worth retrying; every other status (3xx, 4xx such as 400, 404, 410 Gone) not, since sending the
     * same post again gets the same answer. This is also the Standard Webhooks rule ("Delivery success and failure":
     * success is 2xx only, redirects are not followed).
     */
    public static Verdict byStatus(int status) {
        if (status / 100 == 2) {
            return ACCEPTED;
        }
        boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
        return new Verdict(retryable ? Kind.RETRY : Kind.FAIL, null);
    }

    /** The same outcome with another reason. */
    public Verdict because(String why) {
        return new Verdict(kind, why);
    }
}
