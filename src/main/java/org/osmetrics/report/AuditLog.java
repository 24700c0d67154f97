package org.osmetrics.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * The audit trail ({@code metrics.audit_event}, read through {@code report.audit_log}): who changed the rate card,
 * the pricing policy, the customers or access, or issued or voided an invoice, when. A command that makes such a
 * change calls {@link #record} in the transaction of the change, so the change and its record commit together.
 * The database role and login are taken by PostgreSQL itself (current_user, session_user).
 */
public final class AuditLog {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = SQL.locate(AuditLog.class, "insert");

    /**
     * One change.
     *
     * @param action      what was done, as the command says it: {@code rates import}, {@code access grant}, ...
     * @param subject     what it was done to: a file name, a role, an invoice number (null: nothing in particular)
     * @param detail      what exactly (JSON-serialisable values; never a secret)
     * @param commandLine the command line, built by the command from its options without any secret
     * @param runId       the run of the ledger ({@code metrics.run}) that made it, or null
     */
    public record Event(String action, String subject, Map<String, ?> detail, String commandLine, Long runId) {
    }

    private AuditLog() {
    }

    /** Records {@code event} in {@code handle}'s transaction (the change's own). */
    public static void record(Handle handle, Event event) {
        String detail;
        try {
            detail = JSON.writeValueAsString(event.detail() == null ? Map.of() : event.detail());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serialisable: " + e.getOriginalMessage(), e);
        }
        handle.createUpdate(INSERT)
                .bind("action", event.action())
                .bind("subject", event.subject())
                .bind("detail", detail)
                .bind("commandLine", event.commandLine())
                .bind("osUser", System.getProperty("user.name"))
                .bind("runId", event.runId())
                .execute();
    }
}
