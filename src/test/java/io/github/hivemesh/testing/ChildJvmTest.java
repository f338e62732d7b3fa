package io.github.hivemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The launcher: lines both ways, SIGKILL is SIGKILL, SIGSTOP freezes, close reaps. */
class ChildJvmTest {

    /** Echoes stdin lines as "ECHO line"; prints "HOOK" from a shutdown hook; exits on EOF. */
    public static final class Echo {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("HOOK")));
            System.out.println("READY " + System.getProperty("echo.tag"));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                    StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("EXIT")) {
                    System.exit(3);
                }
                System.out.println("ECHO " + line);
            }
        }
    }

    private static ChildJvm echo() {
        return ChildJvm.builder(Echo.class).systemProperty("echo.tag", "t1").start();
    }

    /** The process state letter of /proc/PID/stat ('T' = stopped by a signal). */
    private static char state(ChildJvm child) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + child.pid() + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
    }

    @Test
    void talksOverStdinAndStdout_andReportsTheExitCode() {
        try (ChildJvm child = echo()) {
            assertThat(child.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(30)))
                    .isEqualTo("READY t1");
            child.send("hello");
            assertThat(child.awaitLine(l -> l.startsWith("ECHO"), Duration.ofSeconds(10)))
                    .isEqualTo("ECHO hello");
            child.send("EXIT");
            assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(3);
            assertThat(child.lines()).contains("HOOK");
        }
    }

    @Test
    void kill_isSigkill_noShutdownHookRuns() {
        ChildJvm child = echo();
        try (child) {
            child.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(30));
            child.kill();
            assertThat(child.awaitExit(Duration.ofSeconds(1))).isEqualTo(128 + 9);
            assertThat(child.lines()).doesNotContain("HOOK");
        }
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void suspend_freezesTheProcess_untilResumed_andCloseReapsAStoppedChild() throws Exception {
        ChildJvm child = echo();
        try (child) {
            child.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(30));
            child.suspend();
            await().atMost(Duration.ofSeconds(10)).until(() -> state(child) == 'T');
            child.send("while-stopped");
            assertThat(state(child)).as("still stopped").isEqualTo('T');
            child.resume();
            await().atMost(Duration.ofSeconds(10)).until(() -> state(child) != 'T');
            assertThat(child.awaitLine(l -> l.startsWith("ECHO"), Duration.ofSeconds(10)))
                    .isEqualTo("ECHO while-stopped");
            child.suspend();
        }
        assertThat(child.isAlive()).isFalse();
        assertThat(child.toString()).contains("Echo");
    }
}
