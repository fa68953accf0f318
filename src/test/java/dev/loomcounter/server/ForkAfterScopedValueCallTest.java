package dev.loomcounter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.StructureViolationException;
import java.util.concurrent.StructuredTaskScope;
import org.junit.jupiter.api.Test;

/**
 * The JDK 25 rule that {@link FastPath} works around, on its own, as the JDK's own StructuredTaskScope/WithScopedValue
 * test checks it: {@code fork()} requires the forking thread's scoped-value bindings to be the ones its scope was
 * opened with, and a fresh thread is not given them back as they were after its first {@code ScopedValue.call}.
 */
class ForkAfterScopedValueCallTest {

    private static final ScopedValue<String> REQUEST = ScopedValue.newInstance();
    private static final ScopedValue<String> CONNECTION = ScopedValue.newInstance();

    @Test
    void aFreshThreadsForkAfterAScopedValueCallThrowsStructureViolationException() throws Exception {
        assertThat(onAFreshThread(ForkAfterScopedValueCallTest::answerThenFork))
                .isInstanceOf(StructureViolationException.class);
    }

    @Test
    void aThreadThatHadABindingBeforeItsScopeOpenedMayFork() throws Exception {
        assertThat(onAFreshThread(() -> ScopedValue.where(CONNECTION, "conn-1").call(
                ForkAfterScopedValueCallTest::answerThenFork))).isNull();
    }

    /** What a connection's thread does: opens its scope, answers a request inside a binding, then forks a worker. */
    private static Throwable answerThenFork() {
        try (var scope = StructuredTaskScope.open()) {
            ScopedValue.where(REQUEST, "conn-1/req-1").run(() -> { });
            try {
                scope.fork(() -> { });
            } catch (StructureViolationException e) {
                return e;
            }
            scope.join();
            return null;
        } catch (InterruptedException e) {
            return e;
        }
    }

    private static Throwable onAFreshThread(ScopedValue.CallableOp<Throwable, RuntimeException> body)
            throws Exception {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> result.complete(body.call())).join();
        return result.get();
    }
}
