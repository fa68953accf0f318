package dev.loomcounter.live.http;

/**
 * A request head the server will not serve, with the status that says why and a short explanation for the body.
 * The explanation never quotes the request: a server that echoes what it was sent hands an attacker a mirror.
 */
public record Rejection(Status status, String why) implements ParsedHead {
}
