package dev.freshen.tester.config;

import dev.freshen.tester.VerificationStage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Wires the tester's plain classes into CDI. */
@ApplicationScoped
public class TesterBeans {

    @Produces
    @ApplicationScoped
    VerificationStage stage() {
        return new VerificationStage(Clock.systemUTC());
    }
}
