package dev.freshen.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineErrorsTest {

    @Test
    void theEnginesOwnMessageWithoutStatusOrJson() {
        // as docker-java reports an answer of Engine 20.10 to POST /containers/{id}/start
        var refused = new BadRequestException("{\"message\":\"failed to create shim task: OCI runtime create failed: "
                + "exec: \\\"/app/server\\\": stat /app/server: no such file or directory: unknown\"}\n");
        assertEquals("failed to create shim task: OCI runtime create failed: exec: \"/app/server\": stat /app/server: "
                + "no such file or directory: unknown", EngineErrors.plainWords(refused));
        assertEquals("no space left on device", EngineErrors.plainWords(new RuntimeException("wrapped",
                new InternalServerErrorException("{\"message\":\"no space left on device\"}"))));
    }

    @Test
    void aBodyThatIsNotJsonIsShownAsItIs() {
        assertEquals("page not found", EngineErrors.plainWords(new BadRequestException("page not found\n")));
    }

    @Test
    void aConnectionThatFailedInPlainWords() {
        assertEquals("connection refused", EngineErrors.plainWords(
                new RuntimeException(new IOException("boom", new ConnectException("Connection refused")))));
    }

    @Test
    void aConnectionTheEngineHadClosedSaysSo() {
        var dropped = new RuntimeException(new com.github.dockerjava.zerodep.shaded.org.apache.hc.core5.http
                .NoHttpResponseException("127.0.0.1:2375 failed to respond"));
        assertEquals("the Docker engine closed the connection without an answer (it may have restarted)",
                EngineErrors.plainWords(dropped));
    }
}
