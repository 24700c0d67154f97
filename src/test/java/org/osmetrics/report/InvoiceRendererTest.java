package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The renderer's font fallback: a character no font covers is a replacement mark and a warning, never a failure. */
class InvoiceRendererTest {
    private static final String HIEROGLYPH = new String(Character.toChars(0x13000));

    private static InvoiceData invoice(String customer) {
        Issuer issuer = new Issuer("Issuer & Co <test>", "Street 1", null, "T-", null);
        Customer c = new Customer(customer, null, null, null, new BigDecimal("21"), "EUR", "test");
        return new InvoiceData(issuer, "invoice", 7, "T-000007", "cloud", "2026-10", Instant.parse("2026-10-01T00:00:00Z"),
                Instant.parse("2026-11-01T00:00:00Z"), "complete", c, "EUR", 2,
                List.of(new InvoiceData.Line("p", "Ωμέγα Юникод 日本", "vcpu_hour", null, "vCPU-hour", new BigDecimal("10"),
                        new BigDecimal("0.125"), new BigDecimal("1.25"))), null, Instant.parse("2026-11-02T08:00:00Z"));
    }

    @Test
    void aCharacterNoFontCoversIsAReplacementMarkAndAWarning() {
        InvoiceRenderer renderer = new InvoiceRenderer();
        assumeFalse(renderer.fontFiles().isEmpty(), "no system fonts (fonts-dejavu-core, fonts-droid-fallback)");
        List<String> warnings = new ArrayList<>();

        String html = renderer.html(invoice("Pharaoh " + HIEROGLYPH + " Ltd"), warnings::add);
        byte[] pdf = renderer.pdf(html, invoice("x"));

        assertThat(html).contains("Pharaoh \uFFFD Ltd").doesNotContain(HIEROGLYPH).contains("Ωμέγα Юникод 日本")
                .contains("Issuer &amp; Co &lt;test&gt;");
        assertThat(warnings).singleElement().asString().contains("U+13000");
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    }

    @Test
    void theSameInvoiceRendersToTheSameBytes() {
        InvoiceRenderer renderer = new InvoiceRenderer();
        String html = renderer.html(invoice("Zürich café – 日本"), w -> { });

        assertThat(renderer.pdf(html, invoice("Zürich café – 日本"))).isEqualTo(new InvoiceRenderer().pdf(html,
                invoice("Zürich café – 日本")));
    }

    @Test
    void taxIsRoundedHalfUpOncePerDocument() {
        // subtotal 1.25 x 21 % = 0.2625 -> 0.26; a half (0.005) rounds away from zero
        assertThat(invoice("c").tax()).isEqualByComparingTo("0.26");
        InvoiceData half = new InvoiceData(invoice("c").issuer(), "invoice", 1, "T-1", "cloud", "2026-10", Instant.EPOCH,
                Instant.EPOCH, "complete", new Customer("c", null, null, null, new BigDecimal("10"), "EUR", "t"), "EUR", 2,
                List.of(new InvoiceData.Line("p", null, "vcpu_hour", null, "u", BigDecimal.ONE, BigDecimal.ONE,
                        new BigDecimal("0.05"))), null, Instant.EPOCH);
        assertThat(half.tax()).isEqualByComparingTo("0.01");
        assertThat(half.creditNote(2, "T-2", Instant.EPOCH).tax()).isEqualByComparingTo("-0.01");
    }
}
