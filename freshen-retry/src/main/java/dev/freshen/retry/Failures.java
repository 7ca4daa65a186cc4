package dev.freshen.retry;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/** Failures in plain words for logs and failure reasons: "connection refused", "TLS handshake failed"; no class names. */
public final class Failures {

    private Failures() {
    }

    /**
     * What went wrong: for the usual network failures anywhere in the cause chain a fixed phrase ("connection
     * refused", "connection timed out", "request timed out", "unknown host registry.example.com", "no route to host",
     * "TLS handshake failed", "TLS error: ...", "connection closed", "connection reset"); else the first message of
     * the chain that is not merely the name of a cause; else "no details".
     */
    public static String plainWords(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String known = known(t);
            if (known != null) {
                return known;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && (t.getCause() == null || !message.equals(t.getCause().toString()))) {
                return message.strip();
            }
        }
        return "no details";
    }

    /** The fixed phrase of a usual network failure {@code t} itself is (not its causes), or null. */
    static String known(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (t instanceof HttpTimeoutException) {
            return "request timed out";
        }
        if (t instanceof SocketTimeoutException) {
            return message.toLowerCase(Locale.ROOT).contains("connect") ? "connection timed out" : "read timed out";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof UnknownHostException) {
            return message.isBlank() ? "unknown host" : "unknown host " + message.replaceFirst(":.*", "");
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof SSLHandshakeException) {
            return "TLS handshake failed";
        }
        if (t instanceof SSLException) {
            return message.isBlank() ? "TLS error" : "TLS error: " + message;
        }
        if (t instanceof ClosedChannelException || t instanceof EOFException) {
            return "connection closed";
        }
        if (t instanceof SocketException && message.toLowerCase(Locale.ROOT).contains("reset")) {
            return "connection reset";
        }
        return null;
    }
}
