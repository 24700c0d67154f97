package org.osmetrics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osmetrics.testing.TestDatabaseExtension;

/** The binary COPY writer against a real PostgreSQL: every type it writes reads back as the same value. */
class BinaryCopyWriterTest {
    private static final String COPY = "COPY bin_test (i, b, d, u, t, s, f) FROM STDIN WITH (FORMAT binary)";
    @RegisterExtension
    static final TestDatabaseExtension test = TestDatabaseExtension.migrated();


    private static Connection table() throws Exception {
        Connection connection = test.database().dataSource().getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE bin_test (i integer, b bigint, d double precision, u uuid,"
                    + " t timestamptz, s text, f boolean)");
        }
        return connection;
    }

    @Test
    void everyValueReadsBackExactlyIncludingTheDoublesBitsAndNonAsciiText() throws Exception {
        UUID uuid = UUID.fromString("6f3c9d2e-0b1a-4c5d-8e7f-112233445566");
        Instant time = Instant.parse("1999-12-31T23:59:59.999999Z"); // before PostgreSQL's epoch: negative micros
        double third = 1.0 / 3.0;
        try (Connection connection = table()) {
            try (BinaryCopyWriter copy = BinaryCopyWriter.start(connection, COPY, 7)) {
                copy.integer(-7).bigint(Long.MAX_VALUE).float8(third).uuid(uuid).timestamp(time).text("Zoë\ttab")
                        .bool(true).endRow();
                copy.integer(0).bigint(0).float8(-0.0).uuid(uuid).timestamp(Instant.parse("2026-11-24T01:00:00Z"))
                        .text(null).bool(false).endRow();
                assertThat(copy.finish()).isEqualTo(2);
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT * FROM bin_test ORDER BY i")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt("i")).isEqualTo(-7);
                assertThat(rows.getLong("b")).isEqualTo(Long.MAX_VALUE);
                assertThat(Double.doubleToRawLongBits(rows.getDouble("d"))).isEqualTo(Double.doubleToRawLongBits(third));
                assertThat(rows.getObject("u", UUID.class)).isEqualTo(uuid);
                assertThat(rows.getObject("t", OffsetDateTime.class).toInstant()).isEqualTo(time);
                assertThat(rows.getString("s")).isEqualTo("Zoë\ttab");
                assertThat(rows.getBoolean("f")).isTrue();
                assertThat(rows.next()).isTrue();
                assertThat(Double.doubleToRawLongBits(rows.getDouble("d"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
                assertThat(rows.getObject("t", OffsetDateTime.class).toInstant())
                        .isEqualTo(Instant.parse("2026-11-24T01:00:00Z"));
                assertThat(rows.getString("s")).isNull();
                assertThat(rows.getBoolean("f")).isFalse();
            }
        }
    }

    @Test
    void aTimeBelowTheMicrosecondOrARowOfTheWrongWidthIsRefusedNotRoundedOrShifted() throws Exception {
        try (Connection connection = table(); BinaryCopyWriter copy = BinaryCopyWriter.start(connection, COPY, 7)) {
            assertThatThrownBy(() -> copy.timestamp(Instant.parse("2026-11-24T01:00:00.000000500Z")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the microsecond");
            copy.integer(1);
            assertThatThrownBy(copy::endRow).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a COPY row with 1 values for 7 columns");
        }
    }
}
