package dev.freshen.watcher;

/** No run with that id is on the event topics (never started, or older than the topics' retention). */
public class UnknownRunException extends RuntimeException {

    public UnknownRunException(String runId) {
        super("unknown run '" + runId + "': no event of it is on the run topics (a run older than the topics' "
                + "retention is forgotten)");
    }
}
