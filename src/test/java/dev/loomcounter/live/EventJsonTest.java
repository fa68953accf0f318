package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** The events as the page receives them: valid JSON, and every 64-bit value exact in a JavaScript page. */
class EventJsonTest {

    @Test
    void aRequestsStartIsAStringOfItsExactDigitsAtBothEndsOfTheRange() {
        for (long start : new long[] {Long.MIN_VALUE, -9_223_372_036_854_775_800L, -1, 0, 9_007_199_254_740_993L,
                Long.MAX_VALUE}) {
            JsonArray event = json(new Event.RequestStarted(12, "conn-1/req-1", start, 5));
            assertThat(event.get(3).isJsonPrimitive() && event.get(3).getAsJsonPrimitive().isString())
                    .as("start %d is a string", start).isTrue();
            assertThat(event.get(3).getAsString()).isEqualTo(Long.toString(start));
            // The small numbers stay numbers: the page counts with them.
            assertThat(event.get(1).getAsJsonPrimitive().isNumber()).isTrue();
            assertThat(event.get(4).getAsJsonPrimitive().isNumber()).isTrue();
        }
        StringBuilder json = new StringBuilder();
        new Event.RequestStarted(12, "conn-1/req-1", -9_223_372_036_854_775_800L, 5).writeTo(json);
        assertThat(json).hasToString("[\"rs\",12,\"conn-1/req-1\",\"-9223372036854775800\",5]");
    }

    @Test
    void theOtherEventsKeepTheirNumbersAsNumbers() {
        assertThat(json(new Event.RequestEnded(30, "conn-1/req-1", RequestOutcome.ANSWERED, 1_500)))
                .hasToString("[\"re\",30,\"conn-1/req-1\",\"answered\",1500]");
        assertThat(json(new Event.SubtaskEnded(20, "conn-1/req-1", 3, "ForkJoinPool-1-worker-2", true)))
                .hasToString("[\"sd\",20,\"conn-1/req-1\",3,\"ForkJoinPool-1-worker-2\"]");
        assertThat(json(new Event.SliceRan(25, "conn-1/req-1/increment-3", "cpu-1", 812)))
                .hasToString("[\"sl\",25,\"conn-1/req-1/increment-3\",\"cpu-1\",812]");
    }

    private static JsonArray json(Event event) {
        StringBuilder json = new StringBuilder();
        event.writeTo(json);
        return JsonParser.parseString(json.toString()).getAsJsonArray();
    }
}
