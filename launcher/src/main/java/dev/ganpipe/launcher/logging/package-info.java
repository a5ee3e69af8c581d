/**
 * The services' logging backend, set up by the launcher: logback with {@code logback.xml}'s levels, lines as text or
 * ({@code --log-format json}) as one JSON object each, carrying the logging context of the request a line was logged
 * in ({@code requestId}, set by {@code common.http.HttpService}; {@code modelVersion}, set by the generator).
 */
package dev.ganpipe.launcher.logging;
