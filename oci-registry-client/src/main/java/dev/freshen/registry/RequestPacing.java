package dev.freshen.registry;

import dev.freshen.retry.Durations;
import dev.freshen.retry.StopRequested;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down requests to a registry whose pull budget runs low, so that checks of that registry slow down before the
 * registry refuses them with 429. Built for Docker Hub, which states its budget in {@link RateLimitHeaders} on
 * manifest responses and counts manifest GETs only (HEADs and blob downloads are free): so only manifest GETs are
 * paced, and the budget is read from every response of the host that carries the headers.
 *
 * <p>Per API host ({@code host[:port]}):
 * <ul>
 *     <li><b>Starts</b> when a response shows at most {@value #LOW_SHARE_PERCENT}% of the limit left
 *     ({@code remaining * 100 <= limit * 20}; 20 of 100 is low).</li>
 *     <li><b>Spacing</b>: each paced request starts at least {@code window / remaining} (as last read) after the
 *     previous one, counting from the request whose response showed the budget low, so that the rest of the budget
 *     lasts the window; but at most {@code maxInterval} after it (max-backoff of the registry settings: a check is never
 *     held longer than a retry would be; zero turns pacing off). The registry does not say when its window ends, so
 *     the whole window is assumed to lie ahead (the safe reading of Docker Hub's rolling 6 h window). Without a window
 *     ({@code ;w=} missing) or with nothing left the spacing is {@code maxInterval}. Turns are reserved in order, so
 *     concurrent callers are spaced too; time that passed anyway is not waited again.</li>
 *     <li><b>Ends</b> when a response shows more than that share left, or once a whole window has passed since the
 *     last low reading (the budget has refilled).</li>
 * </ul>
 * Start and end are logged once each at INFO. A 429 still goes through {@link RegistryRetry} ({@code Retry-After}
 * honoured); pacing only makes it rarer. Thread-safe.
 */
final class RequestPacing {

    /** The share of the limit (in percent) at or below which requests are spaced. */
    static final int LOW_SHARE_PERCENT = 20;

    /** Waits for a while; the real one is {@link Thread#sleep}. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Sleeper THREAD_SLEEP = duration -> Thread.sleep(duration.toMillis());

    /** The pacing of one host; guarded by itself. */
    private static final class Host {
        RateLimitHeaders budget;
        Instant readAt;
        /** When the last paced request went (or was reserved to go), or the low reading that started the pacing. */
        Instant last;
    }

    private final Duration maxInterval;
    private final boolean enabled;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();

    /**
     * @param maxInterval the longest spacing of two requests (max-backoff); zero or negative: no pacing
     * @param clock       the time of readings and reservations
     * @param sleeper     how a caller waits ({@link #THREAD_SLEEP}; tests record instead)
     */
    RequestPacing(Duration maxInterval, Clock clock, Sleeper sleeper) {
        this.maxInterval = Objects.requireNonNull(maxInterval, "maxInterval");
        this.enabled = !maxInterval.isNegative() && !maxInterval.isZero();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Whether {@code budget} is low enough to pace: at most {@value #LOW_SHARE_PERCENT}% of the limit left. */
    static boolean low(RateLimitHeaders budget) {
        return budget.remaining() * 100 <= budget.limit() * LOW_SHARE_PERCENT;
    }

    /**
     * The spacing for {@code budget}: {@code window / remaining}, at most {@code maxInterval}; {@code maxInterval}
     * when the window is unknown or nothing is left. Millisecond precision.
     */
    static Duration interval(RateLimitHeaders budget, Duration maxInterval) {
        if (budget.window().isEmpty() || budget.remaining() <= 0) {
            return maxInterval;
        }
        Duration spacing = budget.window().get().dividedBy(budget.remaining()).truncatedTo(ChronoUnit.MILLIS);
        return spacing.compareTo(maxInterval) > 0 ? maxInterval : spacing;
    }

    /** Whether {@code request} counts against a budget and is therefore paced: a manifest GET. */
    static boolean paced(RegistryRequest request) {
        return request.method().equals("GET") && request.uri().getRawPath().contains("/manifests/");
    }

    /**
     * Waits until {@code request} may go, when its host is paced and the request is {@link #paced}; else returns at
     * once.
     *
     * @throws StopRequested when the thread is interrupted while waiting (interrupt flag kept set)
     */
    void await(RegistryRequest request) {
        if (!enabled || !paced(request)) {
            return;
        }
        Host host = hosts.get(request.host());
        if (host == null) {
            return;
        }
        Duration wait;
        synchronized (host) {
            if (host.budget == null) {
                return;
            }
            Instant now = clock.instant();
            if (host.budget.window().map(window -> !now.isBefore(host.readAt.plus(window))).orElse(false)) {
                RegistryLog.info("A whole rate-limit window has passed since registry " + request.host()
                        + " said its budget was low; requests to it are no longer slowed down");
                host.budget = null;
                return;
            }
            Instant due = host.last.plus(interval(host.budget, maxInterval));
            Instant slot = due.isBefore(now) ? now : due;
            host.last = slot;
            wait = Duration.between(now, slot);
        }
        if (wait.isZero()) {
            return;
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested("interrupted while slowing down requests to " + request.host()
                    + " for its rate limit", e);
        }
    }

    /**
     * Takes the budget from a response of {@code host} when it states one; other responses change nothing.
     *
     * @param host the API host the request went to ({@code host[:port]}), not where a redirect led
     */
    void observe(String host, HttpHeaders headers) {
        Optional<RateLimitHeaders> read = enabled ? RateLimitHeaders.of(headers) : Optional.empty();
        if (read.isEmpty()) {
            return;
        }
        RateLimitHeaders budget = read.get();
        Host pace = hosts.computeIfAbsent(host, h -> new Host());
        synchronized (pace) {
            if (low(budget)) {
                if (pace.budget == null) {
                    RegistryLog.info("Registry " + host + " has " + describe(budget) + "; spacing manifest "
                            + "requests to it " + Durations.human(interval(budget, maxInterval)) + " apart (more as "
                            + "the budget shrinks, at most " + Durations.human(maxInterval) + ") until it has more left"
                            + budget.source().map(s -> " (counted for " + s + "; credentials for this registry may "
                            + "raise the limit)").orElse(""));
                    pace.last = clock.instant(); // the request that showed the budget low counts as the first
                }
                pace.budget = budget;
                pace.readAt = clock.instant();
            } else if (pace.budget != null) {
                RegistryLog.info("Registry " + host + " has " + describe(budget) + " again; requests to it are no "
                        + "longer slowed down");
                pace.budget = null;
            }
        }
    }

    /** Whether requests to {@code host} are being slowed down now (for tests and diagnostics). */
    boolean pacing(String host) {
        Host pace = hosts.get(host);
        if (pace == null) {
            return false;
        }
        synchronized (pace) {
            return pace.budget != null;
        }
    }

    /** "18 of 100 requests left per 6 h". */
    private static String describe(RateLimitHeaders budget) {
        return budget.remaining() + " of " + budget.limit() + " requests left"
                + budget.window().map(w -> " per " + Durations.human(w)).orElse("");
    }
}
