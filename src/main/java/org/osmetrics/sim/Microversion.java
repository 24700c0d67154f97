package org.osmetrics.sim;

/** A compute API microversion {@code major.minor}, ordered numerically (2.9 < 2.40). */
record Microversion(int major, int minor) implements Comparable<Microversion> {
    static final Microversion V2_1 = new Microversion(2, 1);
    static final Microversion PAGING = new Microversion(2, 40);
    static final Microversion STRICT_QUERY = new Microversion(2, 75);
    /** Instance actions of deleted servers. */
    static final Microversion DELETED_ACTIONS = new Microversion(2, 21);
    /** Events of instance actions for every user (admins always). */
    static final Microversion EVENTS_FOR_ALL = new Microversion(2, 51);
    /** Instance actions: {@code limit}, {@code marker}, {@code changes-since}, {@code updated_at}, links. */
    static final Microversion ACTION_PAGING = new Microversion(2, 58);
    /** Events: {@code host} (admins) and {@code hostId}. */
    static final Microversion EVENT_HOST = new Microversion(2, 62);
    /** Events: {@code details}. */
    static final Microversion EVENT_DETAILS = new Microversion(2, 84);

    /** Parses {@code X.Y}; throws IllegalArgumentException naming the text otherwise. */
    static Microversion parse(String text) {
        if (text == null || !text.matches("[1-9][0-9]*\\.(0|[1-9][0-9]*)")) {
            throw new IllegalArgumentException("API Version String " + text
                    + " is of invalid format. Must be of format MajorNum.MinorNum.");
        }
        int dot = text.indexOf('.');
        return new Microversion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
    }

    boolean atLeast(Microversion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Microversion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
