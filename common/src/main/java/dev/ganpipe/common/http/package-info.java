/**
 * The small HTTP layer every service uses, on the JDK's own server with virtual threads: routing built in one
 * method ({@link dev.ganpipe.common.http.Routes}), typed query parameters with limits, JSON errors of DESIGN.md,
 * the standard {@code /healthz}, {@code /readyz} and {@code /metrics} endpoints, the body, header and time limits
 * every client is held to ({@link dev.ganpipe.common.http.HttpLimits}) and bearer keys compared in constant time
 * ({@link dev.ganpipe.common.http.BearerAuth}).
 */
package dev.ganpipe.common.http;
