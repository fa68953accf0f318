package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.loomcounter.testing.TestClient;
import dev.loomcounter.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The server's own thread dump, on scopes made here: the tree, the owners, the bounds, one dump at a time. */
class ThreadDumpTest {

    private static final String CARRIERS = "ForkJoinPool-1-worker-";

    @Test
    void eachScopeIsAContainerWithItsOwnerItsParentAndItsThreadsStacks() throws Exception {
        ThreadTree tree = new ThreadTree();
        CountDownLatch inside = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        try (var outerThreads = tree.scope("outer", Thread.ofVirtual().name("outer-", 1).factory());
             var outer = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                     config -> config.withThreadFactory(outerThreads))) {
            outer.fork(() -> {
                // A subtask that opens a scope of its own: its parent is the scope the subtask was forked into.
                try (var innerThreads = tree.scope("outer/inner", Thread.ofVirtual().name("inner-", 1).factory());
                     var inner = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                             config -> config.withThreadFactory(innerThreads))) {
                    for (int i = 0; i < 2; i++) {
                        inner.fork(() -> {
                            inside.countDown();
                            release.await();
                            return null;
                        });
                    }
                    inner.join();
                }
                return null;
            });
            outer.fork(() -> {
                inside.countDown();
                release.await();
                return null;
            });
            inside.await();

            Map<String, JsonObject> containers = DumpJson.containers(new ThreadDump(tree, CARRIERS).json());
            release.countDown();
            outer.join();

            assertThat(containers).containsKeys("<root>", "ForkJoinPool-1", "outer", "outer/inner");
            assertThat(containers.get("outer").get("parent").getAsString())
                    .as("the owner, this test's thread, is in no scope of the tree").isEqualTo("<root>");
            assertThat(containers.get("outer").get("owner").getAsString())
                    .isEqualTo(Long.toString(Thread.currentThread().threadId()));
            assertThat(DumpJson.names(containers.get("outer"))).containsExactlyInAnyOrder("outer-1", "outer-2");
            assertThat(containers.get("outer/inner").get("parent").getAsString()).isEqualTo("outer");
            assertThat(containers.get("outer/inner").get("owner").getAsString())
                    .isEqualTo(DumpJson.tid(containers.get("outer"), "outer-1"));
            assertThat(DumpJson.names(containers.get("outer/inner"))).containsExactlyInAnyOrder("inner-1", "inner-2");
            JsonObject waiting = containers.get("outer/inner").getAsJsonArray("threads").get(0).getAsJsonObject();
            assertThat(waiting.get("virtual").getAsBoolean()).isTrue();
            assertThat(waiting.get("state").getAsString()).isEqualTo("WAITING");
            assertThat(waiting.getAsJsonArray("stack").toString()).contains("CountDownLatch.await");
            assertThat(DumpJson.names(containers.get("<root>"))).contains(Thread.currentThread().getName());
        }
        assertThat(tree.open()).as("closed scopes leave the tree").isEmpty();
    }

    /**
     * Hundreds of real dumps, none served again, while twenty connections count as fast as they can: their virtual
     * threads mount and unmount all the time, which is what crashes the JDK's own dump on 25.0.3. A crash here ends
     * the test JVM, and the build says so.
     */
    @Test
    void hundredsOfDumpsWhileTheServerCountsTakeNothingDown() throws Exception {
        try (TestServer server = TestServer.start("--quiet", "--unit-iterations", "1")) {
            ThreadDump dumps = new ThreadDump(server.server().live().threads(), Carriers.carrierPrefix(), Duration.ZERO);
            AtomicBoolean counting = new AtomicBoolean(true);
            LongAdder answered = new LongAdder();
            Set<String> requestScopes = ConcurrentHashMap.newKeySet();
            try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow())) {
                for (int i = 0; i < 20; i++) {
                    scope.fork(() -> {
                        try (TestClient client = server.connect()) {
                            for (long start = 0; counting.get(); start++) {
                                assertThat(client.ask(start + " 3")).isEqualTo(Long.toString(start + 3));
                                answered.increment();
                            }
                        }
                        return null;
                    });
                }
                for (int i = 0; i < 300; i++) {
                    DumpJson.containers(dumps.json()).keySet().stream().filter(name -> name.contains("/req-"))
                            .forEach(requestScopes::add);
                }
                counting.set(false);
                scope.join();
            }
            assertThat(dumps.taken()).isEqualTo(300);
            assertThat(answered.sum()).as("requests answered meanwhile").isPositive();
            assertThat(requestScopes).as("request scopes caught in the dumps").isNotEmpty();
        }
    }

    @Test
    void onlySoManyThreadsCarryTheirStacksTheRestAreCounted() throws Exception {
        ThreadTree tree = new ThreadTree();
        int threads = ThreadDump.MAX_THREADS + 200;
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        try (var many = tree.scope("many", Thread.ofVirtual().factory());
             var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                     config -> config.withThreadFactory(many))) {
            for (int i = 0; i < threads; i++) {
                scope.fork(() -> {
                    started.countDown();
                    release.await();
                    return null;
                });
            }
            started.await();
            JsonObject container = DumpJson.containers(new ThreadDump(tree, CARRIERS).json()).get("many");
            release.countDown();
            scope.join();

            assertThat(container.get("threadCount").getAsString()).isEqualTo(Integer.toString(threads));
            assertThat(container.getAsJsonArray("threads")).hasSize(ThreadDump.MAX_THREADS);
            assertThat(container.get("threadsNotListed").getAsString()).isEqualTo("200");
        }
    }

    @Test
    void aDumpAskedForWhileTheLastIsFreshIsTheLastOne() {
        ThreadTree tree = new ThreadTree();
        ThreadDump cached = new ThreadDump(tree, CARRIERS, Duration.ofHours(1));
        String first = cached.json();
        assertThat(cached.json()).isSameAs(first);
        assertThat(cached.taken()).isEqualTo(1);

        ThreadDump uncached = new ThreadDump(tree, CARRIERS, Duration.ZERO);
        uncached.json();
        uncached.json();
        assertThat(uncached.taken()).isEqualTo(2);
    }

    @Test
    void aLongLivedScopeForgetsItsEndedThreads() throws Exception {
        ThreadTree tree = new ThreadTree();
        try (var threads = tree.scope("long-lived", Thread.ofVirtual().factory());
             var scope = StructuredTaskScope.open(Joiner.<Void>awaitAll(),
                     config -> config.withThreadFactory(threads))) {
            for (int i = 0; i < 1_000; i++) {
                // One at a time, each done before the next: like a server scope's connections coming and going.
                CountDownLatch done = new CountDownLatch(1);
                scope.fork(done::countDown);
                done.await();
            }
            assertThat(threads.recorded()).isLessThanOrEqualTo(32);
            scope.join();
        }
    }

    @Test
    void aConnectionsScopesShareOneBranchWhichLeavesTheTreeWithTheLastOfThem() {
        ThreadTree tree = new ThreadTree();
        ThreadTree.Branch connection = tree.branch();
        assertThat(tree.branchesOpen()).isZero();

        var own = connection.scope("conn-1", Thread.ofVirtual().factory());
        for (int i = 1; i <= 3; i++) {
            // One request after another, as a connection answers them: the branch stays, its scopes come and go.
            var request = connection.scope("conn-1/req-" + i, Thread.ofVirtual().factory());
            assertThat(tree.open()).extracting(ThreadTree.Scope::name).containsExactly("conn-1", "conn-1/req-" + i);
            request.close();
            assertThat(tree.branchesOpen()).isEqualTo(1);
        }
        try (var server = tree.scope("server", Thread.ofVirtual().factory())) {
            assertThat(tree.branchesOpen()).isEqualTo(2);
        }
        own.close();

        assertThat(tree.open()).isEmpty();
        assertThat(tree.branchesOpen()).isZero();
    }

    @Test
    void aTreeThatRecordsNothingStillMakesTheThreads() throws Exception {
        try (var threads = ThreadTree.NONE.scope("off", Thread.ofVirtual().name("off-", 1).factory());
             var scope = StructuredTaskScope.open(Joiner.<String>awaitAllSuccessfulOrThrow(),
                     config -> config.withThreadFactory(threads))) {
            var name = scope.fork(() -> Thread.currentThread().getName());
            scope.join();
            assertThat(name.get()).isEqualTo("off-1");
            assertThat(threads.recorded()).isZero();
            assertThat(ThreadTree.NONE.open()).isEmpty();
        }
    }

}
