package dev.loomcounter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.testing.Cli;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void threeClientsGetTheirAnswersAndTheLogNamesEachSubtasksVirtualThreadAndCarrier() {
        Cli.Run demo = Cli.run("demo");

        assertThat(demo.exitCode()).isZero();
        assertThat(demo.err()).isEmpty();
        assertThat(demo.out()).contains(
                "client sent '2 10', got 12 in ", "client sent '100 5', got 105 in ",
                "client sent '1000 8', got 1008 in ", "server stopped");
        // Which connection got which request depends on who connected first; each of the three ran its subtasks,
        // and every subtask's line names its virtual thread and the carrier under it.
        for (String connection : new String[] {"conn-1", "conn-2", "conn-3"}) {
            assertThat(demo.out().lines())
                    .anyMatch(line -> line.contains(connection + "/req-1 increment 1 starts")
                            && line.contains("VirtualThread[#") && line.contains("@ForkJoinPool-"));
        }
    }
}
