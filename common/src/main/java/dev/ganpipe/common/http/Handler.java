package dev.ganpipe.common.http;

/** Answers one request. Throw {@link HttpError} for client errors; anything else becomes a 500. */
@FunctionalInterface
public interface Handler {

    Response handle(Request request) throws Exception;
}
