package dev.freshen.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Words for low-level failures, so that messages name the cause without Java class names. */
final class Problems {

    private Problems() {
    }

    static String describe(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within 5 s";
        } else if (e instanceof HttpTimeoutException) {
            return "no answer in time";
        } else if (e instanceof ConnectException) {
            return "connection refused";
        } else if (e instanceof UnknownHostException) {
            return "unknown host";
        } else if (e instanceof NoSuchFileException) {
            return "no such file";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e.getCause() != null && e.getCause() != e) {
            return describe(e.getCause());
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? "I/O error" : e.getMessage();
    }
}
