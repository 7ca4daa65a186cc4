package dev.freshen.retry;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailuresTest {

    @Test
    void networkFailuresInPlainWordsWhereverTheyAreInTheChain() {
        assertEquals("connection refused", Failures.plainWords(new ConnectException()));
        assertEquals("connection refused", Failures.plainWords(new UncheckedIOException(new ConnectException(null))));
        assertEquals("connection refused", Failures.plainWords(new IllegalStateException("docker: ",
                new IOException("wrapped", new ConnectException("Connection refused")))));
        assertEquals("connection timed out", Failures.plainWords(new HttpConnectTimeoutException("HTTP connect timed out")));
        assertEquals("request timed out", Failures.plainWords(new HttpTimeoutException("request timed out")));
        assertEquals("unknown host registry.example.com",
                Failures.plainWords(new UnknownHostException("registry.example.com: Name or service not known")));
        assertEquals("TLS handshake failed", Failures.plainWords(new SSLHandshakeException("PKIX path building failed")));
        assertEquals("connection reset", Failures.plainWords(new SocketException("Connection reset")));
    }

    @Test
    void otherwiseTheFirstRealMessageAndNeverAClassName() {
        assertEquals("HTTP 503 UNAVAILABLE: maintenance",
                Failures.plainWords(new RuntimeException("HTTP 503 UNAVAILABLE: maintenance")));
        assertEquals("disk full", Failures.plainWords(new RuntimeException(new IOException("disk full"))));
        assertEquals("no details", Failures.plainWords(new RuntimeException((String) null)));
    }
}
