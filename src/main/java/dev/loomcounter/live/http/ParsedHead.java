package dev.loomcounter.live.http;

/** What {@link HeadParser} makes of a request head: a request to serve, or a rejection with its status. */
public sealed interface ParsedHead permits RequestHead, Rejection {
}
