package dev.freshen.events;

/**
 * Kafka topic names. Channel names equal topic names, so these constants serve both
 * {@code @Incoming}/{@code @Channel} annotations and tests.
 */
public final class Topics {

    public static final String BASE_IMAGE_UPDATED = "freshen.base-image-updated";
    public static final String FORCE_UPDATE = "freshen.force-update";
    public static final String IMAGE_BUILT = "freshen.image-built";
    public static final String IMAGE_VERIFIED = "freshen.image-verified";
    public static final String IMAGE_PUBLISHED = "freshen.image-published";
    public static final String PIPELINE_FAILED = "freshen.pipeline-failed";
    /** {@link ImageWatchChanged}; compacted (key: image id), so the last state of every image is kept. */
    public static final String IMAGE_WATCH_CHANGED = "freshen.image-watch-changed";

    /** {@link RollbackRequested}: an operator asked to move an image's moving tags back (watcher API -> publisher). */
    public static final String ROLLBACK_REQUESTED = "freshen.rollback-requested";
    /** {@link ImageRolledBack}: the publisher moved an image's moving tags back. */
    public static final String IMAGE_ROLLED_BACK = "freshen.image-rolled-back";

    /** {@link ChecksFailed}: an image's checks failed a number of cycles in a row (watcher). */
    public static final String CHECKS_FAILED = "freshen.checks-failed";
    /** {@link ChecksRecovered}: a check passed again after a {@link ChecksFailed} (watcher). */
    public static final String CHECKS_RECOVERED = "freshen.checks-recovered";

    public static final String WATCHER_DLQ = "freshen.watcher.dlq";
    public static final String BUILDER_DLQ = "freshen.builder.dlq";
    public static final String TESTER_DLQ = "freshen.tester.dlq";
    public static final String PUBLISHER_DLQ = "freshen.publisher.dlq";
    public static final String NOTIFIER_DLQ = "freshen.notifier.dlq";

    private Topics() {
    }
}
