package org.osmetrics.report;

import java.util.Locale;

/** How an exported column's values are read and written, from its PostgreSQL type. */
enum ColumnKind {
    TEXT, INTEGER, DECIMAL, DOUBLE, BOOLEAN, TIMESTAMP, DATE, JSON;

    static ColumnKind ofTypeName(String postgresType) {
        return switch (postgresType.toLowerCase(Locale.ROOT)) {
            case "int2", "int4", "int8" -> INTEGER;
            case "numeric" -> DECIMAL;
            case "float4", "float8" -> DOUBLE;
            case "bool" -> BOOLEAN;
            case "timestamptz", "timestamp" -> TIMESTAMP;
            case "date" -> DATE;
            case "json", "jsonb" -> JSON;
            default -> TEXT;
        };
    }
}
