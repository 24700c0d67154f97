package org.osmetrics.report;

import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Consumer;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;

/**
 * Renders an invoice document to HTML and PDF (openhtmltopdf on PDFBox). Fonts come from the system, in a fallback
 * chain (README, "invoice"): DejaVu Sans (Latin, Greek, Cyrillic), then a CJK font (Droid Sans Fallback, IPA Gothic or
 * Noto Sans CJK, the first found). A character no font of the chain covers is printed as U+FFFD (or '?') and reported
 * through {@code warnings}; the document still renders. The PDF's dates are the invoice's issue time and its ID is
 * derived from the issuer and number, so the same invoice renders to the same bytes.
 */
public final class InvoiceRenderer {
    /** The fallback chain: family name and candidate files, in order. */
    static final List<String[]> FONT_CHAIN = List.of(
            new String[] {"DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
            new String[] {"DejaVu Sans Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
            new String[] {"CJK Fallback", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
                "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf", "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"});

    private final List<Font> fonts = new ArrayList<>();

    private record Font(String family, File file, TrueTypeFont font) {
        boolean covers(int codePoint) {
            try {
                return font.getUnicodeCmapLookup().getGlyphId(codePoint) > 0;
            } catch (IOException e) {
                return false;
            }
        }
    }

    public InvoiceRenderer() {
        // openhtmltopdf logs its progress through java.util.logging to stderr: warnings reach the user through ours
        com.openhtmltopdf.util.XRLog.setLoggingEnabled(false);
        for (String[] entry : FONT_CHAIN) {
            for (int i = 1; i < entry.length; i++) {
                File file = new File(entry[i]);
                if (file.isFile()) {
                    try {
                        fonts.add(new Font(entry[0], file, new TTFParser().parse(new RandomAccessReadBufferedFile(file))));
                        break;
                    } catch (IOException e) {
                        // unreadable font file: try the next candidate
                    }
                }
            }
        }
    }

    /** The font files found, for messages. */
    public List<String> fontFiles() {
        return fonts.stream().map(f -> f.file().getPath()).toList();
    }

    /** The document as HTML (UTF-8), with characters no font covers replaced and reported. */
    public String html(InvoiceData invoice, Consumer<String> warnings) {
        StringBuilder h = new StringBuilder();
        String title = (invoice.creditNote() ? "Credit note " : "Invoice ") + invoice.numberText();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"/><title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("@page { size: A4; margin: 18mm 16mm; }\n")
                .append("body { font-family: 'DejaVu Sans', 'CJK Fallback', sans-serif; font-size: 9pt; color: #222; }\n")
                .append("h1 { font-size: 16pt; margin: 0 0 4mm 0; }\n")
                .append(".parties { width: 100%; margin-bottom: 6mm; } .parties td { vertical-align: top; width: 50%; }\n")
                .append(".meta td { padding: 0 6mm 0 0; }\n")
                .append("table.lines { width: 100%; border-collapse: collapse; margin-top: 4mm; }\n")
                .append("table.lines th { text-align: left; border-bottom: 1px solid #444; padding: 1mm; }\n")
                .append("table.lines td { padding: 1mm; border-bottom: 1px solid #ddd; }\n")
                .append(".num, .unit { text-align: right; white-space: nowrap; } .unit { text-align: left; }\n")
                .append(".sub td { font-weight: bold; border-bottom: 1px solid #444; }\n")
                .append(".totals { margin-top: 5mm; margin-left: auto; } .totals td { padding: 1mm 2mm; }\n")
                .append(".total td { font-weight: bold; font-size: 11pt; border-top: 1px solid #444; }\n")
                .append(".warning { color: #a00; font-weight: bold; border: 1px solid #a00; padding: 2mm; margin: 3mm 0; }\n")
                .append("</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        if (!"complete".equals(invoice.completeness())) {
            h.append("<div class=\"warning\">Period ").append(esc(invoice.month())).append(" is ")
                    .append(esc(invoice.completeness().toUpperCase(java.util.Locale.ROOT)))
                    .append(": issued with --allow-incomplete; the figures may change.</div>\n");
        }
        if (invoice.credits() != null) {
            h.append("<p>This credit note cancels invoice ").append(esc(invoice.credits())).append(".</p>\n");
        }
        h.append("<table class=\"parties\"><tr><td><b>From</b><br/>").append(block(invoice.issuer().name()))
                .append(invoice.issuer().address() == null ? "" : "<br/>" + block(invoice.issuer().address()))
                .append(invoice.issuer().taxId() == null ? "" : "<br/>Tax id: " + esc(invoice.issuer().taxId()))
                .append("</td><td><b>To</b><br/>").append(block(invoice.customer().name()))
                .append(invoice.customer().address() == null ? "" : "<br/>" + block(invoice.customer().address()))
                .append(invoice.customer().taxId() == null ? "" : "<br/>Tax id: " + esc(invoice.customer().taxId()))
                .append(invoice.customer().costCentre() == null ? "" : "<br/>Cost centre: " + esc(invoice.customer().costCentre()))
                .append("</td></tr></table>\n");
        DateTimeFormatter day = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
        h.append("<table class=\"meta\"><tr><td>Number</td><td>").append(esc(invoice.numberText())).append("</td></tr>")
                .append("<tr><td>Issued</td><td>").append(day.format(invoice.issuedAt())).append("</td></tr>")
                .append("<tr><td>Period</td><td>").append(esc(invoice.month())).append(" (")
                .append(invoice.periodStart()).append(" to ").append(invoice.periodEnd()).append(")</td></tr>")
                .append("<tr><td>Completeness</td><td>").append(esc(invoice.completeness())).append("</td></tr>")
                .append("<tr><td>Cloud</td><td>").append(esc(invoice.cloud())).append("</td></tr>")
                .append("<tr><td>Currency</td><td>").append(esc(invoice.currency())).append("</td></tr></table>\n");
        h.append("<table class=\"lines\"><thead><tr><th>Project</th><th>Resource</th><th>Flavor</th>"
                + "<th class=\"num\">Quantity</th><th>Unit</th><th class=\"num\">Unit price</th><th class=\"num\">Amount</th>"
                + "</tr></thead><tbody>\n");
        var subtotals = invoice.projectSubtotals();
        String previous = null;
        List<InvoiceData.Line> lines = invoice.lines();
        for (int i = 0; i < lines.size(); i++) {
            InvoiceData.Line line = lines.get(i);
            String project = line.projectName() == null ? line.projectId() : line.projectName() + " (" + line.projectId() + ")";
            h.append("<tr><td>").append(line.projectId().equals(previous) ? "" : block(project)).append("</td><td>")
                    .append(esc(line.resource()))
                    .append(line.billingPolicy() == null ? ""
                            : "<br/><span style=\"font-size: 80%; color: #555\">billing policy " + esc(line.billingPolicy()) + "</span>")
                    .append("</td><td>").append(esc(line.flavor() == null ? "" : line.flavor()))
                    .append("</td><td class=\"num\">").append(line.quantity().toPlainString()).append("</td><td class=\"unit\">")
                    .append(esc(line.unit())).append("</td><td class=\"num\">").append(line.unitPrice().toPlainString())
                    .append("</td><td class=\"num\">").append(money(line.amount(), invoice)).append("</td></tr>\n");
            previous = line.projectId();
            if (i + 1 == lines.size() || !lines.get(i + 1).projectId().equals(line.projectId())) {
                h.append("<tr class=\"sub\"><td colspan=\"6\">Subtotal ").append(esc(line.projectId()))
                        .append("</td><td class=\"num\">").append(money(subtotals.get(line.projectId()), invoice))
                        .append("</td></tr>\n");
            }
        }
        h.append("</tbody></table>\n<table class=\"totals\">")
                .append("<tr><td>Subtotal</td><td class=\"num\">").append(money(invoice.subtotal(), invoice)).append("</td></tr>")
                .append("<tr><td>Tax ").append(invoice.customer().taxRate().toPlainString()).append(" %</td><td class=\"num\">")
                .append(money(invoice.tax(), invoice)).append("</td></tr>")
                .append("<tr class=\"total\"><td>Total</td><td class=\"num\">").append(money(invoice.total(), invoice))
                .append("</td></tr></table>\n");
        if (invoice.issuer().footer() != null) {
            h.append("<p>").append(block(invoice.issuer().footer())).append("</p>\n");
        }
        h.append("</body></html>\n");
        return covered(h.toString(), warnings);
    }

    private static String money(BigDecimal amount, InvoiceData invoice) {
        return amount.setScale(invoice.minorUnits(), java.math.RoundingMode.UNNECESSARY).toPlainString() + " " + invoice.currency();
    }

    /** The PDF of an HTML document, reproducible: dates from the invoice, the ID from its issuer and number. */
    public byte[] pdf(String html, InvoiceData invoice) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.usePDDocument(document);
            builder.withHtmlContent(html, null);
            for (Font font : fonts) {
                builder.useFont(font.file(), font.family().equals("DejaVu Sans Bold") ? "DejaVu Sans" : font.family(),
                        font.family().equals("DejaVu Sans Bold") ? 700 : 400, PdfRendererBuilder.FontStyle.NORMAL, true);
            }
            try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
                renderer.createPDFWithoutClosing();
            }
            Calendar issued = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            issued.setTimeInMillis(invoice.issuedAt().toEpochMilli() / 1000 * 1000);
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle((invoice.creditNote() ? "Credit note " : "Invoice ") + invoice.numberText());
            info.setAuthor(invoice.issuer().name());
            info.setProducer("os-metrics");
            info.setCreationDate(issued);
            info.setModificationDate(issued);
            document.setDocumentInformation(info);
            document.setDocumentId(documentId(invoice));
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render invoice " + invoice.numberText() + " as PDF: " + e.getMessage(), e);
        }
    }

    private static long documentId(InvoiceData invoice) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((invoice.issuer().name() + "\n" + invoice.numberText())
                    .getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = id << 8 | (hash[i] & 0xff);
            }
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces every character of the text that no font of the chain covers, reporting each once. */
    private String covered(String html, Consumer<String> warnings) {
        if (fonts.isEmpty()) {
            warnings.accept("no font of the chain found (" + String.join(", ", FONT_CHAIN.stream().map(f -> f[1]).toList())
                    + "): install fonts-dejavu-core and fonts-droid-fallback; the PDF uses the renderer's built-in font");
            return html;
        }
        StringBuilder out = new StringBuilder(html.length());
        Set<String> missing = new LinkedHashSet<>();
        boolean inTag = false;
        for (int i = 0; i < html.length(); ) {
            int cp = html.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '<') {
                inTag = true;
            } else if (cp == '>') {
                inTag = false;
            }
            if (inTag || cp < 0x80 || Character.isWhitespace(cp) || fonts.stream().anyMatch(f -> f.covers(cp))) {
                out.appendCodePoint(cp);
            } else {
                missing.add(String.format("U+%04X", cp));
                out.appendCodePoint(fonts.get(0).covers(0xFFFD) ? 0xFFFD : '?');
            }
        }
        if (!missing.isEmpty()) {
            warnings.accept("no font covers " + String.join(", ", missing) + ": printed as a replacement mark (fonts: "
                    + String.join(", ", fontFiles()) + ")");
        }
        return out.toString();
    }

    private static String block(String text) {
        return esc(text).replace("\n", "<br/>");
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
