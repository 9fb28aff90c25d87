package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dispose rules, plus one that watches the JVM's threads (on the stub, where nothing else starts threads). */
abstract class StubDisposeRules extends DisposeRules {

    StubDisposeRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    /**
     * {@code close()} stops every thread the backend started (housekeepers, helper threads, timers). A first engine
     * is used and closed before the threads are counted, so JVM-wide threads a library starts once are not
     * counted. If this fails, check that {@code PoolBackend.close()} shuts down the native pool's executors.
     */
    @Test
    @DisplayName("DISP-4: close() stops every thread the backend started")
    @ContractRule(id = "DISP-4", check = "that close() shuts down the native pool's threads (HikariCP close(), c3p0"
            + " close(), DBCP's evictor)")
    void closeStopsTheBackendsThreads() {
        Engine warmUp = engine();
        closeAll(hold(warmUp, 2));
        warmUp.close();
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        Engine e = engine();
        closeAll(hold(e, 3));
        e.close();
        boolean stopped = KitTime.poll(() -> started(before).isEmpty(), KitTime.SETTLE);
        assertThat(stopped).as("threads started by the backend still alive %s after close(): %s",
                KitTime.show(KitTime.SETTLE), started(before)).isTrue();
    }

    private static List<String> started(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .filter(t -> !t.getName().startsWith("athanor-testkit-") && !t.getName().startsWith("junit-")
                        && !t.getName().startsWith("ForkJoinPool.commonPool"))
                .map(Thread::getName)
                .collect(Collectors.toList());
    }
}
