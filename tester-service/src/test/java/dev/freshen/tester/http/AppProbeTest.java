package dev.freshen.tester.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AppProbeTest {

    /** The JDK HTTP client's failures, as they reach the probe, in the words a failure reason uses. */
    @Test
    void aRequestWithoutAnswerSaysWhatHappenedWithoutClassNames() {
        assertEquals("the connection was closed without an answer",
                AppProbe.plainWords(new IOException("HTTP/1.1 header parser received no bytes")));
        assertEquals("the connection stayed open without an answer",
                AppProbe.plainWords(new HttpTimeoutException("request timed out")));
        assertEquals("connection timed out", AppProbe.plainWords(new HttpConnectTimeoutException("HTTP connect timed out")));
        assertEquals("connection refused", AppProbe.plainWords(new ConnectException()));
    }
}
