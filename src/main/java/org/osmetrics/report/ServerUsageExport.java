package org.osmetrics.report;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.postgresql.PGStatement;

/**
 * The fast export of {@code report.server_usage}: a second definition of the view's columns (see
 * {@code sql-reports/R__server_usage.sql}) that PostgreSQL does not have to sort as a whole.
 *
 * <p>The dimension rows (clouds, flavors, projects, servers: bounded by the clouds' size, not by the rows
 * exported) are read once into maps; the facts are read in chunks of consecutive window_start ranges
 * {@code [a, b)} through the fact table's key (cloud_id, window_start, instance_id), joined to the maps,
 * sorted in memory by the report's order and written. A reader thread fetches and sorts the next chunk while
 * the caller's thread writes this one. Everything is read in one REPEATABLE READ transaction, so the export is
 * one snapshot like the view's.
 *
 * <p>The order is the view's {@code ORDER BY window_start, cloud, tenant_id, instance_id} exactly: cloud keys
 * and project ids are compared by their rank in an {@code ORDER BY} that PostgreSQL itself computes over the
 * distinct values (so the database's collation decides, whatever it is), instance ids as PostgreSQL compares
 * uuids (unsigned bytes). Memory: the maps plus at most {@link #QUEUED_CHUNKS} + 2 chunks of about
 * {@code chunkRows} rows (a chunk holds more only when one window_start alone has more rows).
 */
final class ServerUsageExport {
    /** Rows a chunk aims at. */
    static final int CHUNK_ROWS = 10_000;
    /** Sorted chunks waiting for the writer. */
    static final int QUEUED_CHUNKS = 1;

    static final List<ExportColumn> COLUMNS = List.of(
            new ExportColumn("hours", ColumnKind.DOUBLE),
            new ExportColumn("flavor", ColumnKind.TEXT),
            new ExportColumn("instance_id", ColumnKind.TEXT),
            new ExportColumn("name", ColumnKind.TEXT),
            new ExportColumn("tenant_id", ColumnKind.TEXT),
            new ExportColumn("memory_mb", ColumnKind.INTEGER),
            new ExportColumn("local_gb", ColumnKind.INTEGER),
            new ExportColumn("vcpus", ColumnKind.INTEGER),
            new ExportColumn("started_at", ColumnKind.TIMESTAMP),
            new ExportColumn("ended_at", ColumnKind.TIMESTAMP),
            new ExportColumn("state", ColumnKind.TEXT),
            new ExportColumn("uptime", ColumnKind.INTEGER),
            new ExportColumn("project_name", ColumnKind.TEXT),
            new ExportColumn("window_start", ColumnKind.TIMESTAMP),
            new ExportColumn("window_end", ColumnKind.TIMESTAMP),
            new ExportColumn("cloud", ColumnKind.TEXT),
            new ExportColumn("provisional", ColumnKind.BOOLEAN));

    /**
     * The statements, with JDBC's {@code ?} parameters: the facts are read on plain JDBC to set pgjdbc's prepare
     * threshold (binary rows, no text parsing), and the rest shares their connection.
     */
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();
    /** Whether this user may read the tables behind the view (a reader role may read only the report schema). */
    static final String CAN_READ_TABLES = SQL.locate(ServerUsageExport.class, "canReadTables");
    private static final String CLOUDS = SQL.locate(ServerUsageExport.class, "clouds");
    private static final String FLAVORS = SQL.locate(ServerUsageExport.class, "flavors");
    private static final String PROJECTS = SQL.locate(ServerUsageExport.class, "projects");
    private static final String PROJECT_ID_ORDER = SQL.locate(ServerUsageExport.class, "projectIdOrder");
    private static final String TEXT_ORDER = SQL.locate(ServerUsageExport.class, "textOrder");
    private static final String SERVERS = SQL.locate(ServerUsageExport.class, "servers");
    private static final String NEXT_WINDOW = SQL.locate(ServerUsageExport.class, "nextWindow");
    private static final String FACTS = SQL.locate(ServerUsageExport.class, "facts");
    private static final String FACTS_OF_PROJECTS = SQL.locate(ServerUsageExport.class, "factsOfProjects");
    private static final String PROJECT_IDS_NAMED = SQL.locate(ServerUsageExport.class, "projectIdsNamed");
    private static final String CUSTOM_PLANS = SQL.locate(ServerUsageExport.class, "customPlans");

    private final int chunkRows;

    ServerUsageExport(int chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunkRows must be positive");
        }
        this.chunkRows = chunkRows;
    }

    /** Writes the report's rows for {@code request} and returns how many; the caller commits or rolls back. */
    long export(Connection connection, ExportRequest request, RowWriter writer, LongConsumer rowsDone)
            throws SQLException, IOException {
        Reader reader = new Reader(connection, request);
        reader.loadDimensions();
        writer.begin(COLUMNS);
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        Thread thread = new Thread(() -> reader.produce(queue), "export-reader");
        thread.setDaemon(true);
        thread.start();
        long written = 0;
        long reported = 0;
        try {
            while (true) {
                Object next = take(queue);
                if (next == END) {
                    break;
                }
                if (next instanceof Failure failure) {
                    failure.rethrow();
                }
                Row[] chunk = (Row[]) next;
                for (Row row : chunk) {
                    writer.row(row.values());
                    if (++written - reported == ReportExporter.PROGRESS_EVERY) {
                        rowsDone.accept(ReportExporter.PROGRESS_EVERY);
                        reported = written;
                    }
                }
            }
        } finally {
            reader.stop = true;
            thread.interrupt();
            join(thread);
        }
        writer.end();
        rowsDone.accept(written - reported);
        return written;
    }

    private static final Object END = new Object();
    /** Earlier than any window a fact can have (PostgreSQL's timestamptz starts in 4713 BC; Nova in 2010). */
    private static final Instant BEFORE_ANY_WINDOW = Instant.parse("0001-01-01T00:00:00Z");

    private static Object take(BlockingQueue<Object> queue) throws IOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("export interrupted", e);
        }
    }

    private static void join(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** An error of the reader thread, thrown again on the writer's. */
    private record Failure(Exception error) {
        void rethrow() throws SQLException, IOException {
            if (error instanceof SQLException e) {
                throw e;
            }
            if (error instanceof IOException e) {
                throw e;
            }
            if (error instanceof RuntimeException e) {
                throw e;
            }
            throw new IllegalStateException(error);
        }
    }

    private record Server(String instanceId, String name, Instant startedAt, Instant endedAt, String state, Long uptime) {
    }

    private record Cloud(int id, String key, int rank, int windowSeconds) {
    }

    /** A joined fact: its sort key and its values in the view's column order. */
    private record Row(long windowStartMicros, int cloudRank, int projectRank, long idHigh, long idLow, Object[] values) {
    }

    /** The view's order; one method rather than a chain of comparators (the sort is a tenth of the export's work). */
    private static final Comparator<Row> ORDER = (a, b) -> {
        int c = Long.compare(a.windowStartMicros(), b.windowStartMicros());
        if (c == 0) {
            c = Integer.compare(a.cloudRank(), b.cloudRank());
        }
        if (c == 0) {
            c = Integer.compare(a.projectRank(), b.projectRank());
        }
        if (c == 0) {
            c = Long.compareUnsigned(a.idHigh(), b.idHigh());
        }
        return c != 0 ? c : Long.compareUnsigned(a.idLow(), b.idLow());
    };

    /** Reads the dimensions, then the facts chunk by chunk (on its own thread). Not thread-safe. */
    private final class Reader {
        private final Connection connection;
        private final ExportRequest request;
        private final Set<String> projectFilter;
        private final Map<Integer, Cloud> clouds = new HashMap<>();
        private final Map<Integer, String> flavors = new HashMap<>();
        private final Map<Integer, Map<String, String>> projectNames = new HashMap<>();
        private final Map<Integer, Map<UUID, Server>> servers = new HashMap<>();
        private Map<String, Integer> projectRanks = new HashMap<>();
        private final Map<Instant, Instant> instants = new HashMap<>();
        private String[] projectIdCandidates;
        /** The values rows repeat (windows, sizes, hours, project ids), each made once. */
        private final Repeats repeats = new Repeats();
        private Integer[] cloudIds;
        volatile boolean stop;

        Reader(Connection connection, ExportRequest request) {
            this.connection = connection;
            this.request = request;
            this.projectFilter = new HashSet<>(request.projects());
        }

        void loadDimensions() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rows = statement.executeQuery(CLOUDS)) {
                    while (rows.next()) {
                        if (request.cloud() != null && !request.cloud().equals(rows.getString(2))) {
                            continue;   // --cloud: the facts of the other clouds are not read at all
                        }
                        Cloud cloud = new Cloud(rows.getInt(1), rows.getString(2), clouds.size(), rows.getInt(3));
                        clouds.put(cloud.id(), cloud);
                    }
                }
                try (ResultSet rows = statement.executeQuery(FLAVORS)) {
                    while (rows.next()) {
                        flavors.put(rows.getInt(1), rows.getString(2));
                    }
                }
                try (ResultSet rows = statement.executeQuery(PROJECTS)) {
                    while (rows.next()) {
                        projectNames.computeIfAbsent(rows.getInt(1), id -> new HashMap<>())
                                .put(rows.getString(2), rows.getString(3));
                    }
                }
                try (ResultSet rows = statement.executeQuery(PROJECT_ID_ORDER)) {
                    while (rows.next()) {
                        projectRanks.put(rows.getString(1), projectRanks.size());
                    }
                }
                try (ResultSet rows = statement.executeQuery(SERVERS)) {
                    while (rows.next()) {
                        UUID id = rows.getObject(2, UUID.class);
                        Server server = new Server(id.toString(), rows.getString(3), instant(rows, 4), instant(rows, 5),
                                rows.getString(6), nullableLong(rows, 7));
                        servers.computeIfAbsent(rows.getInt(1), cloud -> new HashMap<>()).put(id, server);
                    }
                }
            }
            instants.clear();
            cloudIds = clouds.keySet().toArray(Integer[]::new);
            if (!projectFilter.isEmpty()) {
                Set<String> candidates = new HashSet<>(projectFilter);
                try (PreparedStatement statement = connection.prepareStatement(PROJECT_IDS_NAMED)) {
                    statement.setArray(1, connection.createArrayOf("text", projectFilter.toArray()));
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            candidates.add(rows.getString(1));
                        }
                    }
                }
                projectIdCandidates = candidates.toArray(String[]::new);
            }
        }

        private Instant instant(ResultSet rows, int index) throws SQLException {
            OffsetDateTime time = rows.getObject(index, OffsetDateTime.class);
            if (time == null) {
                return null;
            }
            Instant value = time.toInstant();
            Instant shared = instants.putIfAbsent(value, value);
            return shared == null ? value : shared;
        }

        /** Runs on the reader thread: every chunk into the queue, then END (or a Failure). */
        void produce(BlockingQueue<Object> queue) {
            try {
                readChunks(queue);
                queue.put(END);
            } catch (InterruptedException e) {
                // the writer stopped (an error or the end): nothing more to hand over
            } catch (Exception e) {
                try {
                    queue.put(new Failure(e));
                } catch (InterruptedException ignored) {
                    // the writer stopped already
                }
            }
        }

        private void readChunks(BlockingQueue<Object> queue) throws SQLException, InterruptedException {
            if (cloudIds.length == 0) {
                return;
            }
            Instant to = request.to();
            if (projectIdCandidates != null) {
                try (Statement custom = connection.createStatement()) {
                    custom.execute(CUSTOM_PLANS);
                }
            }
            try (PreparedStatement next = connection.prepareStatement(NEXT_WINDOW);
                 PreparedStatement facts = connection.prepareStatement(
                         projectIdCandidates == null ? FACTS : FACTS_OF_PROJECTS)) {
                facts.unwrap(PGStatement.class).setPrepareThreshold(-1);   // binary rows: no text parsing
                facts.setFetchSize(ReportExporter.FETCH_SIZE);
                Array cloudArray = connection.createArrayOf("integer", cloudIds);
                Array projectArray = projectIdCandidates == null ? null
                        : connection.createArrayOf("text", projectIdCandidates);
                // one window of the finest grid first; then as many as make about chunkRows rows
                long spanMicros = clouds.values().stream().mapToLong(Cloud::windowSeconds).min().orElse(1) * 1_000_000L;
                Instant start = nextWindow(next, request.from() == null ? BEFORE_ANY_WINDOW : request.from());
                while (start != null && (to == null || start.isBefore(to)) && !stop) {
                    Instant end = start.plus(spanMicros, ChronoUnit.MICROS);
                    if (to != null && end.isAfter(to)) {
                        end = to;
                    }
                    List<Row> rows = read(facts, cloudArray, projectArray, start, end, spanMicros > 1);
                    if (rows == null) {   // too many rows for a multi-window span: halve it and read again
                        spanMicros = Math.max(1, spanMicros / 2);
                        continue;
                    }
                    Row[] chunk = rows.toArray(Row[]::new);
                    Arrays.sort(chunk, ORDER);
                    if (chunk.length > 0) {
                        queue.put(chunk);
                    }
                    spanMicros = nextSpan(spanMicros, chunk.length);
                    start = nextWindow(next, end);
                }
            }
        }

        /** The next span: aims at chunkRows with this chunk's density, at most doubling. */
        private long nextSpan(long span, int rows) {
            if (rows == 0) {
                return span * 2;
            }
            double scaled = (double) span * chunkRows / rows;
            return Math.max(1, (long) Math.min(scaled, span * 2.0));
        }

        private Instant nextWindow(PreparedStatement next, Instant after) throws SQLException {
            Instant first = null;
            for (Integer cloudId : cloudIds) {
                next.setInt(1, cloudId);
                next.setObject(2, after.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                try (ResultSet rows = next.executeQuery()) {
                    rows.next();
                    OffsetDateTime time = rows.getObject(1, OffsetDateTime.class);
                    if (time != null && (first == null || time.toInstant().isBefore(first))) {
                        first = time.toInstant();
                    }
                }
            }
            return first;
        }

        /** The joined, filtered facts of [start, end); null when a span of several windows had too many. */
        private List<Row> read(PreparedStatement facts, Array cloudArray, Array projectArray, Instant start, Instant end,
                boolean mayRetry) throws SQLException {
            facts.setArray(1, cloudArray);
            facts.setObject(2, start.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            facts.setObject(3, end.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            if (projectArray != null) {
                facts.setArray(4, projectArray);
            }
            List<Row> rows = new ArrayList<>();
            boolean unranked = false;
            try (ResultSet result = facts.executeQuery()) {
                while (result.next()) {
                    if (mayRetry && rows.size() >= 4L * chunkRows) {
                        return null;
                    }
                    int cloudId = result.getInt(1);
                    UUID id = result.getObject(4, UUID.class);
                    Map<UUID, Server> cloudServers = servers.get(cloudId);
                    Server server = cloudServers == null ? null : cloudServers.get(id);
                    String flavor = flavors.get(result.getInt(6));
                    Cloud cloud = clouds.get(cloudId);
                    if (server == null || flavor == null || cloud == null) {
                        continue;   // the view's inner joins
                    }
                    String projectId = repeats.text(result, 5);
                    Map<String, String> names = projectNames.get(cloudId);
                    String projectName = names == null ? null : names.get(projectId);
                    if (!projectFilter.isEmpty() && !projectFilter.contains(projectId)
                            && (projectName == null || !projectFilter.contains(projectName))) {
                        continue;
                    }
                    Instant windowStart = repeats.time(result, 2);
                    Instant windowEnd = repeats.time(result, 3);
                    Object[] values = {
                        repeats.number(result.getDouble(10)), flavor, server.instanceId(), server.name(), projectId,
                        repeats.number(result.getInt(8)), repeats.number(result.getInt(9)),
                        repeats.number(result.getInt(7)),
                        server.startedAt(), server.endedAt(), server.state(), server.uptime(), projectName,
                        windowStart, windowEnd, cloud.key(), result.getBoolean(11)};
                    Integer rank = projectRanks.get(projectId);
                    unranked |= rank == null;
                    rows.add(row(values, id, cloud, rank == null ? -1 : rank));
                }
            }
            if (unranked) {   // every rank of this chunk from the new order, not only the new ids'
                rankAgain(rows.stream().map(row -> (String) row.values()[4]).toList());
                rows.replaceAll(row -> new Row(row.windowStartMicros(), row.cloudRank(),
                        projectRanks.get((String) row.values()[4]), row.idHigh(), row.idLow(), row.values()));
            }
            return rows;
        }

        private Row row(Object[] values, UUID id, Cloud cloud, int projectRank) {
            Instant windowStart = (Instant) values[13];
            long micros = windowStart.getEpochSecond() * 1_000_000L + windowStart.getNano() / 1_000;
            return new Row(micros, cloud.rank(), projectRank, id.getMostSignificantBits(), id.getLeastSignificantBits(),
                    values);
        }

        /** A project id no dimension table listed: PostgreSQL orders the known ids and the new ones again. */
        private void rankAgain(Collection<String> newIds) throws SQLException {
            Set<String> all = new HashSet<>(projectRanks.keySet());
            all.addAll(newIds);
            Map<String, Integer> ranks = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(TEXT_ORDER)) {
                statement.setArray(1, connection.createArrayOf("text", all.toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ranks.put(rows.getString(1), ranks.size());
                    }
                }
            }
            projectRanks = ranks;
        }
    }

    /**
     * The values of fact columns that repeat across rows (windows, sizes, hours, project ids), made into objects
     * once rather than once per row: a direct-mapped table per kind, keyed by the value's bits (or bytes), each
     * slot holding the last value that hashed to it. The export allocates a third less and spends that much less
     * time collecting garbage; which values come out is unchanged. Not thread-safe (the reader thread's).
     */
    private static final class Repeats {
        private static final int SLOTS = 1 << 10;
        /** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
        private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

        private final long[] timeKeys = new long[SLOTS];
        private final Instant[] times = new Instant[SLOTS];
        private final long[] longKeys = new long[SLOTS];
        private final Long[] longs = new Long[SLOTS];
        private final long[] doubleKeys = new long[SLOTS];
        private final Double[] doubles = new Double[SLOTS];
        private final byte[][] textKeys = new byte[SLOTS][];
        private final String[] texts = new String[SLOTS];

        private static int slot(long key) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 54);   // the top 10 bits of a multiplicative hash
        }

        /**
         * A timestamptz column from PostgreSQL's binary value (microseconds since 2000-01-01 UTC, as the driver
         * hands them over); a text value or an infinity (never a window) goes through the driver as usual.
         */
        Instant time(ResultSet result, int column) throws SQLException {
            byte[] raw = result.getBytes(column);
            if (raw == null || raw.length != Long.BYTES) {
                OffsetDateTime time = result.getObject(column, OffsetDateTime.class);
                return time == null ? null : time.toInstant();
            }
            long value = 0;
            for (byte b : raw) {
                value = value << 8 | (b & 0xFF);
            }
            if (value == Long.MAX_VALUE || value == Long.MIN_VALUE) {
                return result.getObject(column, OffsetDateTime.class).toInstant();
            }
            int slot = slot(value);
            Instant time = times[slot];
            if (time == null || timeKeys[slot] != value) {
                long micros = value + POSTGRES_EPOCH_MICROS;
                time = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
                times[slot] = time;
                timeKeys[slot] = value;
            }
            return time;
        }

        Long number(long value) {
            int slot = slot(value);
            Long boxed = longs[slot];
            if (boxed == null || longKeys[slot] != value) {
                boxed = value;
                longs[slot] = boxed;
                longKeys[slot] = value;
            }
            return boxed;
        }

        Double number(double value) {
            long bits = Double.doubleToRawLongBits(value);
            int slot = slot(bits);
            Double boxed = doubles[slot];
            if (boxed == null || doubleKeys[slot] != bits) {
                boxed = value;
                doubles[slot] = boxed;
                doubleKeys[slot] = bits;
            }
            return boxed;
        }

        /** A text column from its UTF-8 bytes (the driver's own encoding of text, in either format). */
        String text(ResultSet result, int column) throws SQLException {
            byte[] raw = result.getBytes(column);
            if (raw == null) {
                return null;
            }
            int slot = slot(Arrays.hashCode(raw));
            String text = texts[slot];
            if (text == null || !Arrays.equals(textKeys[slot], raw)) {
                text = new String(raw, StandardCharsets.UTF_8);
                texts[slot] = text;
                textKeys[slot] = raw.clone();   // the driver may reuse its row buffers
            }
            return text;
        }
    }

    private static Long nullableLong(ResultSet rows, int index) throws SQLException {
        long value = rows.getLong(index);
        return rows.wasNull() ? null : value;
    }
}
