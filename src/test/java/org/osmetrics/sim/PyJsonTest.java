package org.osmetrics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PyJsonTest {

    @ParameterizedTest
    @CsvSource({
            "24.0, 24.0",
            "0.08611111111111111, 0.08611111111111111",
            "10.010277777777778, 10.010277777777778",
            "1.111111111111111e-09, 1.111111111111111e-09",
            "2.2315008e+16, 2.2315008e+16",
            "22315008.0, 22315008.0",
            "1e16, 1e+16",
            "9999999999999998.0, 9999999999999998.0",
            "0.0001, 0.0001",
            "0.00009999, 9.999e-05",
            "64305932.515555546, 64305932.515555546",
            "0.1, 0.1",
            "-3.5, -3.5",
            "1e23, 1e+23",
            "5e-324, 5e-324",
            "1.7976931348623157e308, 1.7976931348623157e+308",
            "123456789012345.6, 123456789012345.6",
            "2.82879384806159e17, 2.82879384806159e+17"
    })
    void formatsFloatsLikePythonRepr(double value, String python) {
        assertThat(PyJson.repr(value)).isEqualTo(python);
    }

    @Test
    void fastFormattingAgreesWithTheExhaustiveSearchOnRandomDoubles() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20241003);
        for (int i = 0; i < 20_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextLong(86_400_000_000L) / 1_000_000.0 / 3600.0;
                case 2 -> random.nextInt(65536) * (random.nextLong(86_400_000_000L) / 1_000_000.0 / 3600.0);
                default -> Math.scalb(1.0, random.nextInt(-1074, 1024)) * (i % 3 == 0 ? 1 : 0.1 * random.nextInt(1, 10));
            };
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            assertThat(PyJson.repr(value)).as("bits %x", Double.doubleToRawLongBits(value)).isEqualTo(PyJson.reprExact(value));
        }
    }

    @Test
    void formatsNovaHoursOfOneSecondAndOfFourMicroseconds() {
        assertThat(PyJson.repr(4 / 1_000_000.0 / 3600.0)).isEqualTo("1.111111111111111e-09");
        assertThat(PyJson.repr(1 / 3600.0)).isEqualTo("0.0002777777777777778");
        assertThat(PyJson.repr(-0.0)).isEqualTo("-0.0");
    }

    @Test
    void writesStringsAndSeparatorsLikePythonJsonDumps() {
        StringWriter out = new StringWriter();
        new PyJson(out).beginObject()
                .field("name", "naïve \"q\", a\\b\nc\u0001 \uD83D\uDE80 \u007f")
                .field("n", 3)
                .key("empty").beginObject().endObject()
                .key("list").beginArray().value(1.0).nullValue().value(true).endArray()
                .endObject().flush();
        assertThat(out.toString()).isEqualTo("{\"name\": \"na\\u00efve \\\"q\\\", a\\\\b\\nc\\u0001 \\ud83d\\ude80 \\u007f\", "
                + "\"n\": 3, \"empty\": {}, \"list\": [1.0, null, true]}");
    }
}
