package dev.freshen.builder.config;

import dev.freshen.builder.BuildStage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Wires the builder's plain classes into CDI. */
@ApplicationScoped
public class BuilderBeans {

    @Produces
    @ApplicationScoped
    BuildStage buildStage() {
        return new BuildStage(Clock.systemUTC());
    }
}
