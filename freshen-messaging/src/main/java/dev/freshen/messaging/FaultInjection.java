package dev.freshen.messaging;

import dev.freshen.events.FreshenEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fault hook for the fault-injection suite, off unless the JVM is started with the system property
 * {@value #HANDLER_EXCEPTION}{@code =<file>}: while that file exists and one of its lines is a record's platform image
 * id, the handler of that record fails with an unexpected exception, as a defect in a stage would. Deleting the file
 * (or the line) "fixes the defect" without a restart, so a replay can be shown to succeed. The property is
 * deliberately outside the {@code freshen.*} settings (services refuse {@code freshen.*} keys they do not know) and is
 * not meant for production.
 */
public final class FaultInjection {

    /** The system property naming the file of platform image ids whose records make handlers fail. */
    public static final String HANDLER_EXCEPTION = "fault-injection.handler-exception.file";

    private FaultInjection() {
    }

    /** Throws when the hook is on for {@code event}'s image; does nothing otherwise. */
    static void beforeHandling(FreshenEvent event) {
        String file = System.getProperty(HANDLER_EXCEPTION);
        if (file == null) {
            return;
        }
        try {
            Path path = Path.of(file);
            if (Files.exists(path) && Files.readAllLines(path).stream().map(String::strip).anyMatch(event.imageId()::equals)) {
                throw new IllegalStateException("fault injected by " + HANDLER_EXCEPTION + " for " + event.imageId());
            }
        } catch (IOException e) {
            // an unreadable hook file injects nothing
        }
    }
}
