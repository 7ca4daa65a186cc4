package dev.freshen.messaging;

import dev.freshen.events.FreshenEvent;

/**
 * A fault hook for the fault-injection suite, off unless the JVM is started with the system property
 * {@value #HANDLER_EXCEPTION}{@code =<platform image id>}: then every handler of a record of that image fails with an
 * unexpected exception, as a defect in a stage would. The property is deliberately outside the {@code freshen.*}
 * settings (services refuse {@code freshen.*} keys they do not know) and is not meant for production.
 */
public final class FaultInjection {

    /** The system property naming the platform image whose records make handlers fail. */
    public static final String HANDLER_EXCEPTION = "fault-injection.handler-exception.image-id";

    private FaultInjection() {
    }

    /** Throws when the hook is on for {@code event}'s image; does nothing otherwise. */
    static void beforeHandling(FreshenEvent event) {
        String imageId = System.getProperty(HANDLER_EXCEPTION);
        if (imageId != null && imageId.equals(event.imageId())) {
            throw new IllegalStateException("fault injected by " + HANDLER_EXCEPTION + " for " + imageId);
        }
    }
}
