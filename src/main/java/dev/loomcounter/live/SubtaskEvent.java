package dev.loomcounter.live;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A subtask ended, for Java Flight Recorder, committed on the subtask's own thread: the recording names that virtual
 * thread ({@code conn-1/req-1/increment-3}) as the event's thread. See {@link RequestEvent}.
 */
@Name("dev.loomcounter.Subtask")
@Label("Subtask")
@Category("loom-counter")
@Description("An increment's subtask ended: done (it counted) or cancelled")
@StackTrace(false)
final class SubtaskEvent extends jdk.jfr.Event {

    @Label("Request")
    String request;

    @Label("Index")
    int index;

    @Label("Done")
    @Description("True if it incremented the counter, false if it stopped without counting")
    boolean done;
}
