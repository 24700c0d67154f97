package org.osmetrics.report;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.osmetrics.OsMetricsException;

/**
 * Who may read what in the report views (README, "Access"): tenants see their projects' rows (row-level security
 * over {@code metrics.project_access}, V86), finance's readers every row. Each change is one transaction with
 * its audit record, and puts on the logins themselves the settings PostgreSQL does not pass from a group role
 * to its members (statement and idle-in-transaction timeouts, connection limit).
 */
public final class ProjectAccess {
    private static final ClasspathSqlLocator SQL = ClasspathSqlLocator.removingComments();

    public static final String TENANT_ROLE = "os_metrics_tenant";
    public static final String READER_ROLE = "os_metrics_reader";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** A PostgreSQL duration with a unit, as ALTER ROLE ... SET takes it. */
    private static final Pattern DURATION = Pattern.compile("\\d{1,9}(ms|s|min|h|d)");

    /** Settings put on every login the grant reaches. */
    public record LoginSettings(String statementTimeout, String idleInTransactionTimeout, int connectionLimit) {
        public static final LoginSettings DEFAULT = new LoginSettings("15min", "5min", 5);

        public LoginSettings {
            for (String value : List.of(statementTimeout, idleInTransactionTimeout)) {
                if (!DURATION.matcher(value).matches()) {
                    throw OsMetricsException.usage("'" + value + "' is not a duration: a number and one of ms, s, min, h, d,"
                            + " e.g. 15min (0 turns the timeout off)");
                }
            }
            if (connectionLimit < -1) {
                throw OsMetricsException.usage("--connection-limit must be -1 (no limit) or more, not " + connectionLimit);
            }
        }
    }

    /** A project of a cloud, as loaded. */
    public record Project(String cloudKey, int cloudId, String projectId, String name) {
        public String label() {
            return projectId + (name == null ? "" : " (" + name + ")") + " of " + cloudKey;
        }
    }

    /** What a grant or revoke did. */
    public record Outcome(String role, List<Project> projects, List<String> loginsConfigured, boolean superuser) {
    }

    /** One line of {@code access list}: a role and a project it sees, or every project (a reader). */
    public record Entry(String role, boolean dropped, boolean everyProject, String cloudKey, String projectId,
            String projectName, Instant grantedAt, String grantedBy) {
    }

    private record Role(long oid, String name, boolean superuser, boolean login) {
    }

    private final Jdbi jdbi;

    public ProjectAccess(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Lets {@code role} (and its members) see {@code projectRefs} (ids or names, in {@code cloudKey} or every cloud
     * that has them), and with {@code reader} every project.
     */
    public Outcome grant(String roleName, List<String> projectRefs, String cloudKey, boolean reader, LoginSettings settings,
            String commandLine) {
        return change("grant", roleName, handle -> {
            Role role = role(handle, roleName).orElseThrow(() -> OsMetricsException.usage("role " + roleName
                    + " does not exist; create the login first (CREATE ROLE " + roleName + " LOGIN PASSWORD '...'; README, \"Access\")"));
            refuseGroup(role);
            List<Project> projects = resolve(handle, projectRefs, cloudKey);
            if (!projects.isEmpty()) {
                requireEnforceable(handle);
            }
            for (Project project : projects) {
                handle.createUpdate(SQL.locate(ProjectAccess.class, "insertAccess"))
                        .bind("cloud", project.cloudId()).bind("project", project.projectId())
                        .bind("role", role.oid()).bind("name", role.name()).execute();
            }
            if (!projects.isEmpty()) {
                changeMembership(handle, "grant", TENANT_ROLE, role.name());
            }
            if (reader) {
                changeMembership(handle, "grant", READER_ROLE, role.name());
            }
            List<String> logins = logins(handle, role);
            for (String login : logins) {
                // identifiers and settings cannot be bound: quoted, and the settings validated by LoginSettings
                handle.createUpdate(SQL.locate(ProjectAccess.class, "configureLogin"))
                        .define("login", quote(login))
                        .define("statementTimeout", "'" + settings.statementTimeout() + "'")
                        .define("idleTimeout", "'" + settings.idleInTransactionTimeout() + "'")
                        .define("connectionLimit", settings.connectionLimit())
                        .execute();
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("role", role.name());
            detail.put("projects", projectsDetail(projects));
            detail.put("reader", reader);
            detail.put("statement_timeout", settings.statementTimeout());
            detail.put("idle_in_transaction_session_timeout", settings.idleInTransactionTimeout());
            detail.put("connection_limit", settings.connectionLimit());
            detail.put("logins", logins);
            AuditLog.record(handle, new AuditLog.Event("access grant", role.name(), detail, commandLine, null));
            return new Outcome(role.name(), projects, logins, role.superuser());
        });
    }

    /**
     * Takes {@code projectRefs} (all of the role's projects when empty) away from {@code role}, and with
     * {@code reader} its reader role; a role left without projects leaves os_metrics_tenant.
     */
    public Outcome revoke(String roleName, List<String> projectRefs, String cloudKey, boolean reader, String commandLine) {
        return change("revoke", roleName, handle -> {
            Role role = role(handle, roleName).orElse(null);
            List<Project> removed = new ArrayList<>();
            List<Project> projects = projectRefs.isEmpty() ? null : resolve(handle, projectRefs, cloudKey);
            List<Project> targets = projects == null ? java.util.Collections.singletonList((Project) null) : projects;
            for (Project target : targets) {
                // a dropped role's grants are found by name (its oid is gone), a living role's by oid;
                // named projects one by one, else all of the role's (in cloudKey when given)
                handle.createQuery(SQL.locate(ProjectAccess.class, "deleteAccess"))
                        .bind("oid", role == null ? null : role.oid())
                        .bind("name", roleName)
                        .bind("cloud", target == null ? null : target.cloudId())
                        .bind("project", target == null ? null : target.projectId())
                        .bind("cloudKey", target == null ? cloudKey : null)
                        .map((rs, ctx) -> new Project(null, rs.getInt("cloud_id"), rs.getString("project_id"), null))
                        .forEach(removed::add);
            }
            if (role == null && removed.isEmpty()) {
                throw OsMetricsException.usage("role " + roleName + " does not exist and was granted nothing");
            }
            if (role != null) {
                boolean anyLeft = handle.createQuery(SQL.locate(ProjectAccess.class, "hasAccess"))
                        .bind("oid", role.oid()).mapTo(Boolean.class).one();
                if (!anyLeft && isMember(handle, role, TENANT_ROLE)) {
                    changeMembership(handle, "revoke", TENANT_ROLE, role.name());
                }
                if (reader && isMember(handle, role, READER_ROLE)) {
                    changeMembership(handle, "revoke", READER_ROLE, role.name());
                }
            }
            List<Project> described = removed.stream().map(p -> describe(handle, p)).toList();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("role", roleName);
            detail.put("projects", projectsDetail(described));
            detail.put("reader", reader);
            AuditLog.record(handle, new AuditLog.Event("access revoke", roleName, detail, commandLine, null));
            return new Outcome(roleName, described, List.of(), role != null && role.superuser());
        });
    }

    /** Every grant: readers (every project) first, then each role's projects. */
    public List<Entry> list() {
        return jdbi.withHandle(handle -> {
            List<Entry> entries = new ArrayList<>(handle.createQuery(SQL.locate(ProjectAccess.class, "readers"))
                    .bind("reader", READER_ROLE)
                    .map((rs, ctx) -> new Entry(rs.getString(1), false, true, null, null, null, null, null))
                    .list());
            entries.addAll(handle.createQuery(SQL.locate(ProjectAccess.class, "grants"))
                    .map((rs, ctx) -> new Entry(rs.getString("role"), rs.getBoolean("dropped"), false, rs.getString("cloud_key"),
                            rs.getString("project_id"), rs.getString("name"),
                            rs.getObject("granted_at", OffsetDateTime.class).toInstant(), rs.getString("granted_by")))
                    .list());
            return entries;
        });
    }

    private <T> T change(String verb, String roleName, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql && INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState())) {
                throw OsMetricsException.database("access " + verb + ": this database role may not change role " + roleName
                        + " (" + sql.getMessage().lines().findFirst().orElse("") + "); run it as the owner role (with"
                        + " CREATEROLE) or a superuser (README, \"Access\")", e);
            }
            throw e;
        }
    }

    private static java.util.Optional<Role> role(Handle handle, String name) {
        return handle.createQuery(SQL.locate(ProjectAccess.class, "role"))
                .bind("name", name)
                .map((rs, ctx) -> new Role(rs.getLong("oid"), rs.getString("rolname"), rs.getBoolean("rolsuper"),
                        rs.getBoolean("rolcanlogin")))
                .findOne();
    }

    /**
     * Row-level security does not apply to superusers and BYPASSRLS roles, nor through the views they own: a view
     * owned by one shows every row to whoever may select it. Refused then, rather than promised and not kept.
     */
    private static void requireEnforceable(Handle handle) {
        String owner = handle.createQuery(SQL.locate(ProjectAccess.class, "privilegedViewOwners"))
                .mapTo(String.class).findOne().orElse(null);
        if (owner != null) {
            throw OsMetricsException.config("PostgreSQL cannot keep tenants apart here: the report views are owned by "
                    + owner + ", a superuser (or BYPASSRLS), through whose views every row shows; migrate the database as an"
                    + " owner role that is no superuser (README, \"Access\"; the embedded database's user is always one)");
        }
    }

    private static void refuseGroup(Role role) {
        if (role.name().startsWith("os_metrics_") || role.name().startsWith("pg_")) {
            throw OsMetricsException.usage("role " + role.name() + " is one of the roles os-metrics or PostgreSQL define:"
                    + " grant access to a login or a group of your own");
        }
    }

    /** The role itself if it can log in, and every login that is a member of it (directly or not); no superuser. */
    private static List<String> logins(Handle handle, Role role) {
        return handle.createQuery(SQL.locate(ProjectAccess.class, "logins"))
                .bind("oid", role.oid())
                .mapTo(String.class)
                .list();
    }

    private static boolean isMember(Handle handle, Role role, String group) {
        return handle.createQuery(SQL.locate(ProjectAccess.class, "isMember"))
                .bind("oid", role.oid()).bind("group", group).mapTo(Boolean.class).one();
    }

    /** Each reference (an id first, else a name) to the projects it names, in one cloud or all. */
    private static List<Project> resolve(Handle handle, List<String> refs, String cloudKey) {
        if (cloudKey != null && handle.createQuery(SQL.locate(ProjectAccess.class, "cloudCount"))
                .bind("key", cloudKey).mapTo(Integer.class).one() == 0) {
            throw OsMetricsException.usage("no cloud " + cloudKey + " in the database (os-metrics status lists them)");
        }
        List<Project> all = new ArrayList<>();
        for (String ref : refs) {
            List<Project> found = find(handle, ref, cloudKey, "projectsById");
            if (found.isEmpty()) {
                found = find(handle, ref, cloudKey, "projectsByName");
                if (found.stream().map(Project::projectId).distinct().count() > 1) {
                    throw OsMetricsException.usage("project name '" + ref + "' is ambiguous: "
                            + String.join(", ", found.stream().map(Project::label).toList()) + "; give the project id");
                }
            }
            if (found.isEmpty()) {
                throw OsMetricsException.usage("no project '" + ref + "' (id or name) in the database"
                        + (cloudKey == null ? "" : " for cloud " + cloudKey) + ": a project is known once its usage was loaded");
            }
            found.stream().filter(p -> !all.contains(p)).forEach(all::add);
        }
        return all;
    }

    private static List<Project> find(Handle handle, String ref, String cloudKey, String statement) {
        return handle.createQuery(SQL.locate(ProjectAccess.class, statement))
                .bind("ref", ref).bind("cloudKey", cloudKey)
                .map((rs, ctx) -> new Project(rs.getString("cloud_key"), rs.getInt("cloud_id"), rs.getString("project_id"),
                        rs.getString("name")))
                .list();
    }

    private static Project describe(Handle handle, Project project) {
        return handle.createQuery(SQL.locate(ProjectAccess.class, "describe"))
                .bind("cloud", project.cloudId()).bind("project", project.projectId())
                .map((rs, ctx) -> new Project(rs.getString("cloud_key"), project.cloudId(), project.projectId(), rs.getString("name")))
                .one();
    }

    private static List<Map<String, String>> projectsDetail(List<Project> projects) {
        return projects.stream().map(p -> Map.of("cloud", p.cloudKey(), "project_id", p.projectId())).toList();
    }

    /** A role name as an SQL identifier (names come from pg_roles or the command line: always quoted). */
    private static void changeMembership(Handle handle, String verb, String group, String role) {
        handle.createUpdate(SQL.locate(ProjectAccess.class, verb)).define("group", group).define("role", quote(role)).execute();
    }

    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
