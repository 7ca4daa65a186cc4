/**
 * Freshen's event contracts: one record per event ({@link dev.freshen.events.FreshenEvent}), its topic
 * ({@link dev.freshen.events.Topics}) and CloudEvents type ({@link dev.freshen.events.EventType}), the envelope
 * ({@link dev.freshen.events.CloudEventEnvelope}), the JSON form ({@link dev.freshen.events.EventJson}) and the value
 * types the events share. {@code docs/events.md} describes every event field by field.
 *
 * <h2>Tolerant readers</h2>
 * A reader one version behind must read what a newer writer writes, and pass on what it copies:
 * <ul>
 *   <li>An unknown field of an event is ignored.</li>
 *   <li>An unknown field of a nested value that stages copy into their own events ({@link dev.freshen.events.Trigger},
 *       {@link dev.freshen.events.BaseImage}, {@link dev.freshen.events.StageTiming},
 *       {@link dev.freshen.events.CheckResult}, {@link dev.freshen.events.ScanFindings},
 *       {@link dev.freshen.events.ImageWatchChanged.Problem}) is kept in the
 *       value's {@code unknownFields()} (as JSON, by name) and
 *       written out again unchanged, after the known fields. It takes part in {@code equals} like every record
 *       component: a value that carries more than this version knows is not the same value as one that does not;
 *       compare the known components when that is what you mean.</li>
 *   <li>An unknown value of an open value set ({@link dev.freshen.events.FailureKind},
 *       {@link dev.freshen.events.Stage}, {@link dev.freshen.events.Trigger.Kind},
 *       {@link dev.freshen.events.WatchState}) is read as "other" with its id,
 *       and written out again with that id. Code that branches on such a value has a branch for other values.</li>
 *   <li>A missing required field, a malformed value, or an unknown CloudEvents type is still rejected
 *       ({@link dev.freshen.events.InvalidEventException}): the record goes to the dead-letter topic.</li>
 * </ul>
 *
 * <h2>Versioning</h2>
 * An event type's version (the {@code v1} of {@code dev.freshen.image-built.v1}) changes only for a breaking change:
 * removing or renaming a field, no longer writing a required field, changing a field's meaning or type, making an
 * optional field required, accepting fewer values than before (a stricter check, a renamed enum id), or changing an
 * id's shape. Adding an optional field, a field to a nested value, or a value to an open value set is never
 * breaking and keeps the version. A breaking change is a new type version on the same topic, rolled out readers
 * first; {@code docs/events.md} has the steps.
 */
package dev.freshen.events;
