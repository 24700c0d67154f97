package org.osmetrics.pipeline;

import org.osmetrics.OsMetricsException;
import org.osmetrics.extract.UsageExtraction;
import org.osmetrics.load.Cloud;
import org.osmetrics.transform.TransformedRange;
import org.osmetrics.transform.UsageTransform;

/** The transform stage as the use cases run it: an extraction on its cloud's window grid, handed to the loader. */
public final class Transforms {
    private Transforms() {
    }

    /** {@code extraction} split on {@code cloud}'s grid; exit 2 when its range does not fit the grid. */
    public static TransformedRange onGrid(Cloud cloud, UsageExtraction extraction) {
        try {
            return UsageTransform.transform(extraction, cloud.grid());
        } catch (IllegalArgumentException e) {
            throw OsMetricsException.usage("cannot load " + extraction.start() + ".." + extraction.requestedEnd()
                    + " for cloud " + cloud.key() + ": " + e.getMessage());
        }
    }
}
