package dev.ganpipe.common.http;

/** A request's headers as the server that received them keeps them: the first value of a header, case-insensitive, or null. */
@FunctionalInterface
interface HeaderLookup {

    String first(String name);
}
