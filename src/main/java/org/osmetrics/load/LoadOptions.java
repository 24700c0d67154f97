package org.osmetrics.load;

/**
 * How to load.
 *
 * @param restate apply differences to closed windows already recorded (otherwise they are only logged
 *                in {@code metrics.restatement})
 */
public record LoadOptions(boolean restate) {
    public static final LoadOptions DEFAULT = new LoadOptions(false);
}
