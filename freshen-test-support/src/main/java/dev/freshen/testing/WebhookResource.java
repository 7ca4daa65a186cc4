package dev.freshen.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts a {@link WebhookReceiver} and points the notifier's generic webhook at it. */
public class WebhookResource implements QuarkusTestResourceLifecycleManager {

    private static WebhookReceiver receiver;

    public static WebhookReceiver receiver() {
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        receiver = WebhookReceiver.start();
        return Map.of("freshen.notifier.webhook-url", receiver.url("/webhook").toString());
    }

    @Override
    public void stop() {
        receiver.close();
    }
}
