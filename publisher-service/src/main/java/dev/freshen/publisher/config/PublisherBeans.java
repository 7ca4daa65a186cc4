package dev.freshen.publisher.config;

import dev.freshen.publisher.PublishStage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Wires the publisher's plain classes into CDI. */
@ApplicationScoped
public class PublisherBeans {

    @Produces
    @ApplicationScoped
    PublishStage stage() {
        return new PublishStage(Clock.systemUTC());
    }
}
