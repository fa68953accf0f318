package dev.loomcounter.live;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns the recorder's events into batches, ten a second, and hands each batch to every open page.
 *
 * <p>Each page has its own short queue of batches. A page that stops reading (a stalled browser, a laptop lid shut)
 * fills only its own queue, and its batches are dropped and counted: it never holds up the pump, the other pages,
 * or the server. The recorder is watched exactly while at least one page is subscribed. At most
 * {@code maxSubscribers} pages are at once: each one costs a thread and a queue.
 */
final class Broadcast implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(100);
    /** Batches a page may fall behind before its batches are dropped: two seconds. */
    private static final int PAGE_QUEUE = 20;
    private static final String CLOSED = "";

    /** One open page's queue of batches. */
    final class Subscription implements AutoCloseable {
        private final BlockingQueue<String> batches = new ArrayBlockingQueue<>(PAGE_QUEUE);

        /** The next batch as JSON, null if none came within {@code timeout}; empty once the broadcast is closed. */
        String next(Duration timeout) throws InterruptedException {
            return batches.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void offer(String batch) {
            if (!batches.offer(batch)) {
                batchesDropped.increment();
            }
        }

        @Override
        public void close() {
            unsubscribe(this);
        }
    }

    private final Recorder recorder;
    private final Gauges gauges;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final LongAdder batchesDropped = new LongAdder();
    private final Object watchLock = new Object();
    private final Thread pump;
    private final int maxSubscribers;
    private volatile boolean closed;

    Broadcast(Recorder recorder, String carrierPrefix, int maxSubscribers) {
        this.recorder = recorder;
        this.maxSubscribers = maxSubscribers;
        this.gauges = new Gauges(recorder.metrics(), carrierPrefix);
        // A platform thread: the page must keep moving even when CPU-bound subtasks hold every carrier. That is
        // the very moment worth watching.
        this.pump = Thread.ofPlatform().name("live-view-pump").daemon().start(this::pump);
    }

    /** A new page's subscription, or empty if {@code maxSubscribers} pages are subscribed already. */
    Optional<Subscription> subscribe() {
        Subscription subscription = new Subscription();
        synchronized (watchLock) {
            if (subscriptions.size() >= maxSubscribers) {
                return Optional.empty();
            }
            subscriptions.add(subscription);
            recorder.watch(true);
        }
        return Optional.of(subscription);
    }

    /** Pages subscribed now. */
    int subscribers() {
        return subscriptions.size();
    }

    private void unsubscribe(Subscription subscription) {
        synchronized (watchLock) {
            subscriptions.remove(subscription);
            if (subscriptions.isEmpty()) {
                recorder.watch(false);
            }
        }
    }

    /** True for the mark that ends every page's stream when the broadcast closes. */
    static boolean isClosingMark(String batch) {
        return CLOSED.equals(batch);
    }

    boolean isClosed() {
        return closed;
    }

    long batchesDropped() {
        return batchesDropped.sum();
    }

    private void pump() {
        while (!closed) {
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                break;
            }
            if (!subscriptions.isEmpty()) {
                String batch = batch(recorder.drain());
                subscriptions.forEach(subscription -> subscription.offer(batch));
            }
        }
        subscriptions.forEach(subscription -> {
            subscription.batches.clear();
            subscription.batches.offer(CLOSED);
        });
    }

    /** {@code {"t":now,"dropped":n,"gauges":{...},"lanes":[...],"events":[[...],...]}} */
    private String batch(List<Event> events) {
        StringBuilder json = new StringBuilder(256 + events.size() * 48);
        json.append("{\"t\":").append(recorder.now())
                .append(",\"dropped\":").append(recorder.eventsDropped() + batchesDropped.sum()).append(',');
        gauges.writeTo(json);
        json.append(",\"events\":[");
        for (Event event : events) {
            event.writeTo(json);
            json.append(',');
        }
        if (!events.isEmpty()) {
            json.setLength(json.length() - 1);
        }
        return json.append("]}").toString();
    }

    /** Stops the pump; every page's stream gets the closing mark and ends. */
    @Override
    public void close() {
        closed = true;
        pump.interrupt();
        try {
            pump.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recorder.watch(false);
    }
}
