package dev.loomcounter.log;

import static dev.loomcounter.testing.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogTest {


    @Test
    void linesBeyondTheRateAreFoldedIntoOneSummaryLine() {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicInteger built = new AtomicInteger();
        try (Log log = Log.to(lines::add, false, 5)) {
            for (int i = 0; i < 1_000; i++) {
                int n = i;
                log.request(1_000_000, () -> {
                    built.incrementAndGet();
                    return "request " + n;
                });
            }
            await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(line -> line.contains("lines folded")));
        }
        assertThat(built.get()).as("a folded line is never built").isLessThanOrEqualTo(5 + 5);
        assertThat(lines).filteredOn(line -> line.contains("lines folded")).first().asString()
                .matches(".* 1 s: [0-9,]+ requests, 0 connections opened, p50 1\\.0 ms, p99 1\\.0 ms; [0-9,]+ lines folded");
    }

    @Test
    void aStuckOutputNeverBlocksTheThreadsThatLog() throws InterruptedException {
        CountDownLatch outputUnstuck = new CountDownLatch(1);
        List<String> lines = new CopyOnWriteArrayList<>();
        Log log = Log.to(line -> {
            try {
                outputUnstuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(line);
        }, false, Integer.MAX_VALUE);
        // Far more lines than the queue holds, with the output stuck: each call returns, and the excess is dropped.
        for (int i = 0; i < 20_000; i++) {
            log.info("line " + i);
        }
        outputUnstuck.countDown();
        log.close();
        assertThat(lines).hasSizeLessThan(20_000)
                .anyMatch(line -> line.contains("dropped (the output was too slow)"));
    }

    @Test
    void aQuietLogLeavesOutSubtaskLinesWithoutBuildingThem() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Log log = Log.to(lines::add, true)) {
            log.detail(() -> {
                throw new AssertionError("built a line that a quiet log leaves out");
            });
            log.info("kept");
        }
        assertThat(lines).singleElement().asString().endsWith(" kept");
    }
}
