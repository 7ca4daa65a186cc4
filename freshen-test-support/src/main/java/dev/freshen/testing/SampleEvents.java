package dev.freshen.testing;

import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.CheckResult;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RunIds;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Well-formed events for tests, each with a fresh run id so tests sharing a broker never see each other's events. */
public final class SampleEvents {

    public static final String IMAGE_ID = "net10/runtime";
    public static final BaseImage BASE = new BaseImage(ImageReference.parse("127.0.0.1:5000/dotnet/runtime:10.0"),
            digest('2'), digest('1'));

    private SampleEvents() {
    }

    public static Digest digest(char fill) {
        return Digest.parse("sha256:" + String.valueOf(fill).repeat(64));
    }

    public static String runId() {
        return "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    public static BaseImageUpdated baseImageUpdated() {
        return new BaseImageUpdated(runId(), IMAGE_ID, 1, Instant.now(), List.of(BASE), "sha256:content");
    }

    public static ForceUpdateRequested forceUpdateRequested() {
        return new ForceUpdateRequested(RunIds.forced(), IMAGE_ID, 1, Instant.now(), "Dockerfile changed", "test");
    }

    public static ImageBuilt imageBuilt() {
        Instant now = Instant.now();
        return new ImageBuilt(runId(), IMAGE_ID, 1, now, Trigger.baseImageUpdated(), List.of(BASE),
                ImageReference.parse("127.0.0.1:5000/platform/net10-runtime@" + digest('3')), List.of(),
                List.of(new StageTiming(Stage.BUILD, now.minusSeconds(30), now)));
    }

    public static ImageVerified imageVerified() {
        ImageBuilt built = imageBuilt();
        return new ImageVerified(built.runId(), IMAGE_ID, 1, Instant.now(), built.trigger(), built.baseImages(),
                built.candidate(), List.of(new CheckResult("user: non-root", true, "uid 1654")), built.timings());
    }

    public static ImagePublished imagePublished() {
        ImageVerified verified = imageVerified();
        return new ImagePublished(verified.runId(), IMAGE_ID, 1, Instant.now(), verified.trigger(), verified.baseImages(),
                verified.candidate().withTag("10.0-1.0.0"), "1.0.0", List.of("10.0-1.0.0", "latest"), verified.timings());
    }

    public static PipelineFailed pipelineFailed() {
        return new PipelineFailed(runId(), IMAGE_ID, 1, Instant.now(), Stage.TEST, FailureKind.PERMANENT,
                "GET /healthz answered 500, expected 200", "app log line", Trigger.baseImageUpdated());
    }
}
