package org.osmetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.report.SmallCloudData;
import org.osmetrics.testing.CommandRun;
import org.osmetrics.testing.TestDatabaseExtension;

/** {@code customers import|list} on the small cloud (projects p-alpha, p-beta, p-gamma; a EUR rate card). */
class CustomersCommandTest {
    private static final String HEADER = "project_id,customer,cost_centre,address,tax_id,tax_rate,currency\n";
    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.of(SmallCloudData::load);

    @TempDir
    Path dir;

    @BeforeEach
    void noCustomers() {
        db.jdbi().useHandle(h -> h.execute("DELETE FROM metrics.project_customer; DELETE FROM metrics.customer"));
    }

    private static CommandRun customers(String... arguments) {
        String[] args = new String[arguments.length + 3];
        args[0] = "customers";
        System.arraycopy(arguments, 0, args, 1, arguments.length);
        args[arguments.length + 1] = "--db-url";
        args[arguments.length + 2] = db.jdbcUrl();
        return CommandRun.of(Map.of(), args);
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("customers.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> mapping() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT pc.project_id || ' ' || c.name || ' ' || c.tax_rate || ' '"
                + " || c.currency || ' ' || pc.source FROM metrics.project_customer pc JOIN metrics.customer c USING (customer_id)"
                + " ORDER BY 1").mapTo(String.class).list());
    }

    @Test
    void exampleFileImportsAndIsListed() {
        CommandRun run = customers("import", "examples/customers.csv");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(mapping()).containsExactly(
                "p-alpha Zürich café – 日本 AG 21 EUR customers.csv line 3",
                "p-beta Beta Research 21 EUR customers.csv line 4");
        CommandRun list = customers("list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("p-alpha").contains("Zürich café – 日本 AG").contains("21%")
                .contains("Bahnhofstrasse 1, 8001 Zürich");
    }

    @Test
    void anImportReplacesTheWholeMapping() throws IOException {
        assertThat(customers("import", "examples/customers.csv").exitCode()).isZero();

        CommandRun run = customers("import", file(HEADER + "p-gamma,Gamma,,,,0,EUR\n").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(mapping()).containsExactly("p-gamma Gamma 0 EUR customers.csv line 2");
    }

    private void assertRefused(String content, String... expected) throws IOException {
        assertThat(customers("import", "examples/customers.csv").exitCode()).isZero();
        List<String> before = mapping();

        CommandRun run = customers("import", file(content).toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        for (String part : expected) {
            assertThat(run.err()).contains(part);
        }
        assertThat(mapping()).isEqualTo(before);
    }

    @Test
    void unknownProjectIsRefusedWithFileAndLine() throws IOException {
        assertRefused(HEADER + "p-alpha,A,,,,21,EUR\np-nope,B,,,,21,EUR\n",
                "customers.csv line 3", "unknown project 'p-nope'");
    }

    @Test
    void aProjectListedTwiceIsRefused() throws IOException {
        assertRefused(HEADER + "p-alpha,A,,,,21,EUR\np-alpha,B,,,,21,EUR\n",
                "customers.csv line 3", "p-alpha is listed twice", "line 2");
    }

    @Test
    void aMissingTaxRateIsRefused() throws IOException {
        assertRefused(HEADER + "p-alpha,A,,,,,EUR\n", "customers.csv line 2", "tax_rate is missing");
    }

    @Test
    void aCurrencyOtherThanTheRateCardsIsRefused() throws IOException {
        assertRefused(HEADER + "p-alpha,A,,,,21,EUR\np-beta,B,,,,8.1,CHF\n",
                "customers.csv line 3", "CHF", "rate card prices in EUR", "no exchange rates");
    }

    @Test
    void oneCustomerWithTwoDifferentDetailsIsRefused() throws IOException {
        assertRefused(HEADER + "p-alpha,A,,,,21,EUR\np-beta,A,,,,10,EUR\n",
                "customers.csv line 3", "customer 'A' has other details than on customers.csv line 2");
    }

    @Test
    void aWrongHeaderOrBadNumbersAreRefused() throws IOException {
        assertRefused("project,customer\np-alpha,A\n", "customers.csv line 1", "header");
        assertRefused(HEADER + "p-alpha,A,,,,twenty,EUR\n", "line 2", "tax_rate 'twenty'");
        assertRefused(HEADER + "p-alpha,A,,,,121,EUR\n", "line 2", "between 0 and 100");
        assertRefused(HEADER + "p-alpha,A,,,,21,EURO\n", "line 2", "ISO 4217");
        assertRefused(HEADER + "p-alpha,,,,,21,EUR\n", "line 2", "customer is empty");
    }
}
