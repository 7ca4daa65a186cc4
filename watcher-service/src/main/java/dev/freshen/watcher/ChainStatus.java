package dev.freshen.watcher;

import dev.freshen.descriptor.ImageGraph;
import dev.freshen.descriptor.PlatformImageCatalog;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where an image stands in the graph of images built on each other, for the API and {@code freshen status}: its
 * parents and children, and whether a change of it would start now. Read from the run ledger and the last check
 * outcomes only (no registry call), with the predicate of {@link ChainGuard} minus the checks it makes.
 */
public final class ChainStatus {

    /** Nothing holds the image back. */
    public static final String READY = "ready";
    /** An ancestor has a run in flight, a change settling or no version yet: its publish starts this image's run. */
    public static final String WAITING = "waiting";
    /** An ancestor's newest run failed: this image keeps the version it has until the ancestor publishes again. */
    public static final String HELD = "held";

    /**
     * @param parents  the watched images its FROM lines name, by id (each once, in FROM order)
     * @param children the watched images built directly FROM it, by id
     * @param state    {@link #READY}, {@link #WAITING} or {@link #HELD}
     * @param waitsOn  what it waits on, when not ready
     */
    public record ChainView(List<String> parents, List<String> children, String state, ChainGuard.Hold waitsOn) {
        public ChainView {
            parents = List.copyOf(parents);
            children = List.copyOf(children);
        }
    }

    private final Supplier<PlatformImageCatalog.Scan> catalog;
    private final ChainGuard guard;
    private final Function<String, Optional<CheckOutcome>> lastOutcome;

    public ChainStatus(Supplier<PlatformImageCatalog.Scan> catalog, ChainGuard guard,
                       Function<String, Optional<CheckOutcome>> lastOutcome) {
        this.catalog = catalog;
        this.guard = guard;
        this.lastOutcome = lastOutcome;
    }

    /** The chain view of the watched image {@code id}. */
    public ChainView of(String id) {
        ImageGraph graph = catalog.get().graph();
        List<String> parents = graph.parents(id).stream().map(ImageGraph.Edge::parentId).distinct().toList();
        Optional<ChainGuard.Hold> hold = guard.knownHold(id, graph)
                .or(() -> lastOutcome.apply(id).filter(o -> o.result() == CheckOutcome.Result.HELD)
                        .map(CheckOutcome::waitsOn)
                        .filter(w -> ChainGuard.Hold.NEVER_PUBLISHED.equals(w.state())));
        String state = hold.map(h -> ChainGuard.Hold.FAILED.equals(h.state()) ? HELD : WAITING).orElse(READY);
        return new ChainView(parents, graph.children(id), state, hold.orElse(null));
    }
}
