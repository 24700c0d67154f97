package org.osmetrics.transform;

/**
 * Something in the source data that does not add up: stored, reported, never silently adjusted.
 *
 * @param projectId  the project concerned, or null
 * @param instanceId the server concerned, or null
 */
public record Anomaly(Kind kind, String projectId, String instanceId, String detail) {

    /** What went wrong; stored by {@link #code()}. */
    public enum Kind {
        /** Our hours for a server (from its timestamps, as Nova computes them) differ from the API's. */
        HOURS_MISMATCH("hours_mismatch"),
        /** The split over windows does not add up to the server's lifetime in the range. */
        SPLIT_MISMATCH("split_mismatch"),
        /** Our re-sum of a page's rows differs from the totals Nova reported for that page. */
        TOTALS_MISMATCH("totals_mismatch"),
        /** The page totals count other servers than the rows the pages held. */
        PAGE_COUNT_MISMATCH("page_count_mismatch"),
        /** A server ends before it starts: Nova reports negative hours. */
        NEGATIVE_INTERVAL("negative_interval"),
        /** The same server twice in one range (e.g. a paging bug); the first row is kept. */
        DUPLICATE_SERVER("duplicate_server"),
        /** A server id that is not a UUID: the row cannot be stored. */
        INVALID_INSTANCE_ID("invalid_instance_id"),
        /** Below microversion 2.40 a response held exactly max_limit servers: probably cut. */
        TRUNCATION_SUSPECTED("truncation_suspected"),
        /** An instance action whose name os-metrics does not know: kept, reported, no change of state. */
        TIMELINE_UNKNOWN_ACTION("timeline_unknown_action"),
        /** A server's actions did not come in time order: they were sorted by start time. */
        TIMELINE_OUT_OF_ORDER("timeline_out_of_order"),
        /** An action started before the previous one had finished: applied in order of their finish. */
        TIMELINE_OVERLAP("timeline_overlap"),
        /** A time that cannot be (before OpenStack existed, after the extraction, an event ending before it starts). */
        TIMELINE_ABSURD_TIME("timeline_absurd_time"),
        /** Nova answered 404 for a server's actions (archived): what was recorded is kept. */
        TIMELINE_UNKNOWN_TO_NOVA("timeline_unknown_to_nova"),
        /** The usage says something the actions do not explain (e.g. error without a failed action). */
        TIMELINE_INCONSISTENT("timeline_inconsistent"),
        /** Hours Nova no longer reports (launched_at reset) for windows os-metrics holds no fact of. */
        DROPPED_HOURS("dropped_hours");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
