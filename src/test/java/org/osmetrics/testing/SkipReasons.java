package org.osmetrics.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says on the console, once per reason, which tests did not run and why (a clone without {@code ../shared},
 * a machine without a tool): a skipped test is never silent. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkipReasons implements TestExecutionListener {
    /** The process's own standard error: surefire sends System.out and System.err to the test's report files. */
    private static final PrintStream CONSOLE = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);
    private final Map<String, Integer> reasons = new TreeMap<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        count(reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) { // an assumption that did not hold
            count(result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        reasons.forEach((reason, tests) -> CONSOLE.println("SKIPPED " + tests + (tests == 1 ? " test: " : " tests: ")
                + reason.replaceFirst("^Assumption failed: ", "")));
        reasons.clear();
    }

    private synchronized void count(String reason) {
        reasons.merge(reason == null ? "no reason given" : reason, 1, Integer::sum);
    }
}
