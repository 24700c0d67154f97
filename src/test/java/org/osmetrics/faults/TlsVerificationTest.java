package org.osmetrics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osmetrics.cli.Main;
import org.osmetrics.sim.SimCloud;
import org.osmetrics.sim.SimCredentials;
import org.osmetrics.sim.SimOptions;
import org.osmetrics.sim.SimServer;
import org.osmetrics.testing.SimulatorLogins;

/**
 * TLS verification is on by default: the simulated OpenStack over HTTPS with a self-signed certificate made at
 * test time (the JDK's keytool) is refused with one clear line (exit 3) unless its CA is given with
 * {@code OS_CACERT}/{@code --os-cacert} or verification is turned off with {@code --insecure}; for both logins
 * (the password login and the application-credential one) and Nova's usage calls.
 */
class TlsVerificationTest {

    private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
    private static final char[] KEYSTORE_PASSWORD = "sim-keystore-password".toCharArray();

    @TempDir
    static Path certificates;

    /** HTTPS with a certificate for 127.0.0.1. */
    private static SimServer sim;
    /** HTTPS with a certificate for another host name only. */
    private static SimServer otherHostSim;
    /** The PEM of {@link #sim}'s self-signed certificate: its own CA. */
    private static Path cacert;

    @BeforeAll
    static void startSimulators() throws Exception {
        SimCloud cloud = SimCloud.generate(17, 2, 20, DAY, DAY.plus(1, ChronoUnit.DAYS));
        Path keystore = selfSigned("sim", "ip:127.0.0.1");
        cacert = exportPem(keystore, "sim");
        sim = SimServer.start(cloud, Clock.systemUTC(), SimOptions.defaults().withTls(serverContext(keystore)));
        Path otherHost = selfSigned("other", "dns:keystone.example.invalid");
        otherHostSim = SimServer.start(cloud, Clock.systemUTC(), SimOptions.defaults().withTls(serverContext(otherHost)));
    }

    @AfterAll
    static void stopSimulators() {
        sim.close();
        otherHostSim.close();
    }

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void passwordLoginToSelfSignedEndpointFailsWithOneConfigurationLine() {
        sim.clearRequests();

        Run run = extract(SimulatorLogins.admin(sim), "--all-projects");

        assertRefusedWithOneClearLine(run, sim.authUrl() + "/auth/tokens");
        assertThat(run.err()).doesNotContain(SimCredentials.ADMIN_PASSWORD);
    }

    @Test
    void applicationCredentialLoginToSelfSignedEndpointFailsWithOneConfigurationLine() {
        sim.clearRequests();

        Run run = extract(SimulatorLogins.applicationCredential(sim));

        assertRefusedWithOneClearLine(run, sim.authUrl() + "/auth/tokens");
        assertThat(run.err()).doesNotContain(SimCredentials.APP_CREDENTIAL_SECRET);
    }

    @Test
    void passwordLoginAndUsageCallsTrustTheCaOfOsCacert() {
        Map<String, String> env = SimulatorLogins.admin(sim);
        env.put("OS_CACERT", cacert.toString());
        sim.clearRequests();

        Run run = extract(env, "--all-projects");

        assertSucceededWithRecords(run);
        assertThat(run.err()).doesNotContain("WARNING");
        assertThat(sim.usageRequests()).as("Nova's usage calls went over HTTPS").isNotEmpty();
    }

    @Test
    void applicationCredentialLoginAndUsageCallsTrustTheCaOfTheCacertFlag() {
        sim.clearRequests();

        Run run = extract(SimulatorLogins.applicationCredential(sim), "--os-cacert", cacert.toString());

        assertSucceededWithRecords(run);
        assertThat(run.err()).doesNotContain("WARNING");
        assertThat(sim.usageRequests()).isNotEmpty();
    }

    @Test
    void passwordLoginWithInsecureSucceedsAndWarnsOnStderr() {
        Run run = extract(SimulatorLogins.admin(sim), "--all-projects", "--insecure");

        assertSucceededWithRecords(run);
        assertWarnedOnce(run);
    }

    @Test
    void applicationCredentialLoginWithInsecureSucceedsAndWarnsOnStderr() {
        Run run = extract(SimulatorLogins.applicationCredential(sim), "--insecure");

        assertSucceededWithRecords(run);
        assertWarnedOnce(run);
    }

    @Test
    void caOfOsCacertDoesNotExcuseACertificateForAnotherHost() {
        Map<String, String> env = SimulatorLogins.admin(otherHostSim);
        env.put("OS_CACERT", exportPem(certificates.resolve("other.p12"), "other").toString());

        Run run = extract(env, "--all-projects");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.err().lines().toList()).singleElement().asString().contains(otherHostSim.authUrl());
    }

    @Test
    void insecureAlsoAcceptsACertificateForAnotherHost() {
        Run password = extract(SimulatorLogins.admin(otherHostSim), "--all-projects", "--insecure");
        Run applicationCredential = extract(SimulatorLogins.applicationCredential(otherHostSim), "--insecure");

        assertSucceededWithRecords(password);
        assertSucceededWithRecords(applicationCredential);
    }

    private static void assertRefusedWithOneClearLine(Run run, String endpoint) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).singleElement().asString()
                .startsWith("os-metrics: cannot verify the TLS certificate of " + sim.authUrl().replace("/identity/v3", ""))
                .contains(endpoint)
                .contains("OS_CACERT").contains("--insecure")
                .doesNotContain("Exception");
        assertThat(sim.usageRequests()).as("no usage call without a trusted login").isEmpty();
    }

    private static void assertSucceededWithRecords(Run run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).isNotEmpty().allSatisfy(line -> assertThat(line).contains("\"instance_id\""));
    }

    private static void assertWarnedOnce(Run run) {
        assertThat(run.err().lines().filter(line -> line.contains("WARNING: TLS certificate verification is off")).toList())
                .singleElement().asString().contains("OS_CACERT");
    }

    /** {@code os-metrics extract} of {@link #DAY} in-process; a short --retry-for so that a retried TLS failure shows. */
    private static Run extract(Map<String, String> env, String... options) {
        List<String> args = new ArrayList<>(List.of("extract", "--from", DAY.toString(), "--to",
                DAY.plus(1, ChronoUnit.DAYS).toString(), "--retry-for", "1s"));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** A PKCS12 keystore with a new RSA key and a self-signed certificate for {@code san}, made by keytool. */
    private static Path selfSigned(String alias, String san) throws IOException {
        Path keystore = certificates.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=os-metrics test " + alias, "-ext", "san=" + san, "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", new String(KEYSTORE_PASSWORD));
        return keystore;
    }

    private static Path exportPem(Path keystore, String alias) {
        Path pem = certificates.resolve(alias + ".pem");
        try {
            keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storetype", "PKCS12",
                    "-storepass", new String(KEYSTORE_PASSWORD), "-file", pem.toString());
        } catch (IOException e) {
            throw new IllegalStateException("keytool -exportcert failed", e);
        }
        return pem;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile(certificates, "keytool", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
                    + Files.readString(log));
        }
    }

    private static SSLContext serverContext(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, KEYSTORE_PASSWORD);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, KEYSTORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
