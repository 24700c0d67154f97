package org.osmetrics.extract;

import java.time.Instant;

/** One event of an instance action; finishTime null while in progress; result "Success", "Error" or null. */
public record ActionEvent(String name, Instant startTime, Instant finishTime, String result) {

    /** True while the event has no finish time (the action is still in progress). */
    public boolean inProgress() {
        return finishTime == null;
    }

    /** True when Nova recorded the event as failed. */
    public boolean failed() {
        return "Error".equalsIgnoreCase(result);
    }
}
