package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventRingTest {

    @Test
    void aFullRingDropsAndCountsInsteadOfWaiting() {
        EventRing ring = new EventRing(3);
        for (int i = 1; i <= 5; i++) {
            ring.add(new Event.ConnectionOpened(i, "conn-" + i));
        }
        assertThat(ring.hasRoom()).isFalse();
        assertThat(ring.dropped()).isEqualTo(3); // two adds and one look
        assertThat(ring.drain()).extracting(Event::micros).containsExactly(1L, 2L, 3L);
        assertThat(ring.hasRoom()).isTrue();
        assertThat(ring.drain()).isEmpty();
    }

    @Test
    void anUnwatchedRecorderRecordsNoEventsButStillCountsRequests() {
        Recorder recorder = new Recorder("", false);
        recorder.requestStarted("conn-1/req-1", 0, 1);
        recorder.subtaskStarted("conn-1/req-1", 1);
        recorder.requestEnded("conn-1/req-1", RequestOutcome.ANSWERED, System.nanoTime());
        assertThat(recorder.drain()).isEmpty();
        assertThat(recorder.metrics().requestsEnded()).isEqualTo(1);

        recorder.watch(true);
        recorder.subtaskStarted("conn-1/req-1", 1);
        assertThat(recorder.drain()).singleElement().isInstanceOfSatisfying(Event.SubtaskStarted.class,
                started -> assertThat(started.carrier()).isEqualTo(Carriers.PLATFORM));
    }
}
