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
        TRUNCATION_SUSPECTED("truncation_suspected");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
