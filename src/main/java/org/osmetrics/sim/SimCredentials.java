package org.osmetrics.sim;

/**
 * The fixed identities of the simulated Keystone (domain {@code default} / {@code Default}). These are
 * test credentials of a simulator on loopback, not secrets.
 *
 * <ul>
 *   <li>admin: user {@value #ADMIN_USER} / {@value #ADMIN_PASSWORD}, role {@code admin} (plus
 *       {@code member}, {@code reader}) on project {@value #ADMIN_PROJECT} and on every project of the
 *       cloud; may call the all-projects usage list and {@code GET /v3/projects}.</li>
 *   <li>member: user {@value #MEMBER_USER} / {@value #MEMBER_PASSWORD}, roles {@code reader} and
 *       {@code member} on one project of the cloud ({@link SimServer#memberProjectId()}); may only show
 *       that project's usage.</li>
 *   <li>application credential {@value #APP_CREDENTIAL_ID} / {@value #APP_CREDENTIAL_SECRET} (name
 *       {@value #APP_CREDENTIAL_NAME}, owned by the member user): a token scoped to the member's
 *       project with roles {@code reader} and {@code member}.</li>
 * </ul>
 */
public final class SimCredentials {
    public static final String DOMAIN_ID = "default";
    public static final String DOMAIN_NAME = "Default";

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_USER_ID = "5c0d1a7e4b9f4e7a8d2c3b1a0f9e8d7c";
    public static final String ADMIN_PASSWORD = "sim-admin-password";
    public static final String ADMIN_PROJECT = "admin";
    public static final String ADMIN_PROJECT_ID = "a6944d763bf64ee6a275f1263fae0352";

    public static final String MEMBER_USER = "member";
    public static final String MEMBER_USER_ID = "e2b7c9d04f1a4c3e9b8a7d6c5e4f3a21";
    public static final String MEMBER_PASSWORD = "sim-member-password";

    public static final String APP_CREDENTIAL_ID = "423f19a4ac1e4f48bbb4180756e6eb6c";
    public static final String APP_CREDENTIAL_NAME = "os-metrics-sim";
    public static final String APP_CREDENTIAL_SECRET = "sim-app-credential-secret";

    static final String ROLE_ADMIN_ID = "51cc68287d524c759f47c811e6463340";
    static final String ROLE_MEMBER_ID = "9fe2ff9ee4384b1894a90878d3e92bab";
    static final String ROLE_READER_ID = "d4b8e6a2c1f04e3a9b7c5d2e1f0a9b8c";

    private SimCredentials() {
    }

    /**
     * The admin identity as an openrc file gives it ({@code OS_*} variables, in openrc order), for the
     * simulator listening at {@code authUrl}: what {@code demo}, {@code sim} and the tests log in with.
     */
    public static java.util.Map<String, String> adminOpenrc(String authUrl) {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("OS_AUTH_URL", authUrl);
        env.put("OS_USERNAME", ADMIN_USER);
        env.put("OS_PASSWORD", ADMIN_PASSWORD);
        env.put("OS_USER_DOMAIN_NAME", DOMAIN_NAME);
        env.put("OS_PROJECT_NAME", ADMIN_PROJECT);
        env.put("OS_PROJECT_DOMAIN_ID", DOMAIN_ID);
        return env;
    }
}
