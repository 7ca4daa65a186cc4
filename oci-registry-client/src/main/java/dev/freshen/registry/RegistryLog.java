package dev.freshen.registry;

import java.util.function.Supplier;

/**
 * Logging to JBoss Logging when it is on the class path (Quarkus), else to {@link System.Logger}. Callers never pass
 * credentials, tokens or query strings.
 */
final class RegistryLog {

    private static final String NAME = "dev.freshen.registry";
    private static final boolean JBOSS = present("org.jboss.logging.Logger");

    private RegistryLog() {
    }

    static void debug(Supplier<String> message) {
        if (JBOSS) {
            Jboss.debug(message);
        } else {
            System.getLogger(NAME).log(System.Logger.Level.DEBUG, message);
        }
    }

    static void info(String message) {
        if (JBOSS) {
            Jboss.LOG.info(message);
        } else {
            System.getLogger(NAME).log(System.Logger.Level.INFO, message);
        }
    }

    static void warn(String message) {
        if (JBOSS) {
            Jboss.LOG.warn(message);
        } else {
            System.getLogger(NAME).log(System.Logger.Level.WARNING, message);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, RegistryLog.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Loaded only when JBoss Logging is present. */
    private static final class Jboss {
        static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(NAME);

        static void debug(Supplier<String> message) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(message.get());
            }
        }
    }
}
