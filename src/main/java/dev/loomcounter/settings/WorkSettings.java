package dev.loomcounter.settings;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What one subtask's work is: its kind, the size of a unit, how many units it may draw, and the seed of the draws.
 *
 * @param kind           busy loop or sleep
 * @param unitIterations iterations of {@code x = x + 1.0} in one unit of {@link WorkKind#SPIN} work
 * @param sliceIterations spin work runs in slices of at most this many iterations; the fair CPU pool takes turns
 *                        between slices
 * @param unitDuration   the length of one unit of {@link WorkKind#SLEEP} work
 * @param maxUnits       each subtask draws 1 to maxUnits units
 * @param seed           fixed seed for repeatable draws, or empty for fresh ones
 */
public record WorkSettings(WorkKind kind, long unitIterations, long sliceIterations, Duration unitDuration, int maxUnits,
                           OptionalLong seed) {

    public WorkSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unitDuration, "unitDuration");
        Objects.requireNonNull(seed, "seed");
        if (unitIterations < 0) {
            throw new IllegalArgumentException("unit iterations must be 0 or more, got " + unitIterations);
        }
        if (sliceIterations < 1) {
            throw new IllegalArgumentException("slice iterations must be 1 or more, got " + sliceIterations);
        }
        if (unitDuration.isNegative()) {
            throw new IllegalArgumentException("unit duration must not be negative, got " + unitDuration);
        }
        if (maxUnits < 1) {
            throw new IllegalArgumentException("max units must be 1 or more, got " + maxUnits);
        }
    }

    public String description() {
        String unit = switch (kind) {
            case SPIN -> String.format("%,d iterations", unitIterations);
            case SLEEP -> unitDuration.toMillis() + " ms";
        };
        return kind.name().toLowerCase() + " work, 1.." + maxUnits + " units of " + unit
                + seed.stream().mapToObj(s -> ", seed " + s).findFirst().orElse("");
    }
}
