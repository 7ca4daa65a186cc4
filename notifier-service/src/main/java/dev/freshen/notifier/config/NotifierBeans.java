package dev.freshen.notifier.config;

import dev.freshen.notifier.Notifier;
import dev.freshen.notifier.webhook.JsonWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.net.http.HttpClient;
import java.util.List;

/** Builds the configured notification channels. */
@ApplicationScoped
public class NotifierBeans {

    private static final Logger LOG = Logger.getLogger(NotifierBeans.class);

    @Produces
    @ApplicationScoped
    List<Notifier> notifiers(NotifierConfig config) {
        if (config.webhookUrl().isEmpty()) {
            LOG.warn("No notification channel configured (freshen.notifier.webhook-url): outcomes are only logged");
            return List.of();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        return List.of(new JsonWebhook(http, config.webhookUrl().get(), config.timeout()));
    }
}
