package org.osmetrics.extract;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.osmetrics.OsMetricsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projects a command was asked for, before they are known to Nova: every project, one project given by id
 * or name, or the project the credentials are scoped to. {@link #resolve} turns it into the {@link Scope} an
 * extraction takes, in this one place.
 */
public sealed interface ScopeChoice {

    /** Every project (Nova's admin-only list call). */
    record AllProjects() implements ScopeChoice {
    }

    /** One project, as the user typed it: an id, or a name Keystone resolves. */
    record Project(String idOrName) implements ScopeChoice {
        public Project {
            Objects.requireNonNull(idOrName, "idOrName");
            if (idOrName.isBlank()) {
                throw OsMetricsException.usage("--project is empty: give a project id (or a name Keystone knows)");
            }
        }
    }

    /** The project the credentials are scoped to (the default of {@code run}). */
    record CredentialsProject() implements ScopeChoice {
    }

    static ScopeChoice allProjects() {
        return new AllProjects();
    }

    static ScopeChoice credentialsProject() {
        return new CredentialsProject();
    }

    static ScopeChoice project(String idOrName) {
        return new Project(idOrName);
    }

    /**
     * The scope to extract. A project given by name becomes its id when Keystone lists one project of that name;
     * a value that is neither a listed id nor a listed name is refused (exit 2), and so is a value that looks like
     * a name when the credentials may not list projects: Nova answers "no usage" for a project it does not know,
     * which would load nothing and report success.
     */
    static Scope resolve(ScopeChoice choice, UsageSource source) {
        if (choice instanceof Project project) {
            return Scope.project(Resolver.projectId(project.idOrName(), source));
        }
        return choice instanceof AllProjects ? Scope.allProjects() : Scope.project(source.scopedProjectId());
    }

    /** Project id or name to project id. */
    final class Resolver {
        private static final Logger LOG = LoggerFactory.getLogger(ScopeChoice.class);
        /** Keystone's own project ids: a UUID without dashes. */
        private static final Pattern KEYSTONE_ID = Pattern.compile("[0-9a-f]{32}");

        private Resolver() {
        }

        static String projectId(String value, UsageSource source) {
            if (value.equals(source.scopedProjectId())) {
                return value;
            }
            Map<String, String> names = source.projectNames();
            if (names.containsKey(value)) {
                return value;
            }
            List<String> named = names.entrySet().stream().filter(e -> value.equals(e.getValue()))
                    .map(Map.Entry::getKey).sorted().toList();
            if (named.size() == 1) {
                LOG.info("project {} is the name of project id {}", value, named.get(0));
                return named.get(0);
            }
            if (named.size() > 1) {
                throw OsMetricsException.usage("--project " + value + " is the name of " + named.size()
                        + " projects (" + String.join(", ", named) + "): give the id of the one meant");
            }
            if (!names.isEmpty()) {
                throw OsMetricsException.usage("--project " + value + " is neither the id nor the name of a project "
                        + "Keystone lists to these credentials (" + names.size() + " projects): check the value");
            }
            if (!KEYSTONE_ID.matcher(value).matches()) {
                throw OsMetricsException.usage("--project " + value + " looks like a project name, and these "
                        + "credentials may not list projects to find its id: give the project id");
            }
            return value;
        }
    }
}
