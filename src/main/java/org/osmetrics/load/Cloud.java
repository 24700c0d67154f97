package org.osmetrics.load;

import org.osmetrics.transform.WindowGrid;

/** A cloud as stored: its id, its key (auth URL and region) and its window grid, fixed once data exists. */
public record Cloud(int cloudId, String key, WindowGrid grid) {
}
