package dev.freshen.testing;

import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The test infrastructure itself, against the real registry process, Docker engine and Kafka broker. */
class LocalInfrastructureIT {

    @Test
    void fixtureBaseGetsANewDigestOnEveryPublishAndTheRegistryServesIt() throws Exception {
        LocalRegistry registry = LocalRegistry.shared();
        ImageReference v1 = FixtureImages.publishBase(registry.host(), "dotnet/runtime", "10.0");
        ImageReference v2 = FixtureImages.publishBase(registry.host(), "dotnet/runtime", "10.0");

        assertEquals(registry.host() + "/dotnet/runtime:10.0", v1.withDigest(null).toString());
        assertNotEquals(v1.digest(), v2.digest(), "a new revision is a new digest");
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registry.baseUri() + "/v2/dotnet/runtime/manifests/10.0"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .header("Accept", "application/vnd.docker.distribution.manifest.v2+json")
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(v2.digest(), Digest.parse(head.headers().firstValue("Docker-Content-Digest").orElseThrow()));
    }

    @Test
    void kafkaBrokerCarriesEventsBothWays() {
        try (EventTopics topics = new EventTopics(KafkaBroker.bootstrapServers())) {
            ForceUpdateRequested event = SampleEvents.forceUpdateRequested();
            topics.send(event);
            assertEquals(event, topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(event.runId()),
                    Duration.ofSeconds(30)));
        }
    }
}
