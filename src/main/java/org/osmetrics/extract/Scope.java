package org.osmetrics.extract;

/**
 * Which projects an extraction covers: one project id, or every project ({@code projectId == null},
 * Nova's admin-only list call).
 */
public record Scope(String projectId) {

    public static Scope allProjects() {
        return new Scope(null);
    }

    public static Scope project(String projectId) {
        if (projectId == null || projectId.isBlank()) {
            throw new IllegalArgumentException("project id is empty");
        }
        return new Scope(projectId);
    }

    public boolean isAllProjects() {
        return projectId == null;
    }

    /** The key stored in the database: the project id, or {@code *} for all projects. */
    public String key() {
        return projectId == null ? "*" : projectId;
    }

    @Override
    public String toString() {
        return projectId == null ? "all projects" : "project " + projectId;
    }
}
