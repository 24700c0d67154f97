package org.osmetrics.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.osmetrics.OsMetricsException;

/**
 * Who issues the invoices: read from {@code invoice --issuer FILE}, a UTF-8 properties file (README, "invoice"):
 * {@code name} (required; numbers are sequential per issuer name), {@code address} (lines separated by {@code \n}),
 * {@code tax_id}, {@code number_prefix} (printed before the number, e.g. {@code INV-2026-}), {@code footer}.
 */
public record Issuer(String name, String address, String taxId, String numberPrefix, String footer) {

    public static Issuer read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw OsMetricsException.usage("issuer file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw OsMetricsException.usage("cannot read issuer file " + file + ": " + e.getMessage());
        }
        String name = value(properties, "name");
        if (name == null) {
            throw OsMetricsException.usage("issuer file " + file + ": 'name' is required (the issuer's name on its invoices)");
        }
        String prefix = value(properties, "number_prefix");
        return new Issuer(name, value(properties, "address"), value(properties, "tax_id"), prefix == null ? "" : prefix,
                value(properties, "footer"));
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    public String numberText(int number) {
        return numberPrefix + String.format("%06d", number);
    }
}
