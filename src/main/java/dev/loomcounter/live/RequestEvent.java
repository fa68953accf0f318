package dev.loomcounter.live;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A counting request ended, for Java Flight Recorder: {@code jcmd <pid> JFR.start} or {@code -XX:StartFlightRecording}
 * records it beside the JDK's own {@code jdk.VirtualThreadPinned} and {@code jdk.VirtualThreadSubmitFailed}, so that
 * one recording shows the server's requests and what the scheduler did meanwhile. Filled in only when
 * {@link #shouldCommit()} says a recording wants it: otherwise the JIT drops the unused object altogether.
 */
@Name("dev.loomcounter.Request")
@Label("Request")
@Category("loom-counter")
@Description("A counting request ended: its scope joined, timed out, failed, was cancelled or refused")
@StackTrace(false)
final class RequestEvent extends jdk.jfr.Event {

    @Label("Request")
    String request;

    @Label("Outcome")
    String outcome;

    @Label("Latency")
    @Description("From the request's start to its end")
    @Timespan(Timespan.NANOSECONDS)
    long latency;
}
