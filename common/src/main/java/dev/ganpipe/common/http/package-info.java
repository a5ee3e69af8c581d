/**
 * The small HTTP layer every service uses, on the JDK's own server with virtual threads: routing built in one
 * method ({@link dev.ganpipe.common.http.Routes}), typed query parameters with limits, JSON errors of DESIGN.md,
 * and the standard {@code /healthz}, {@code /readyz} and {@code /metrics} endpoints.
 */
package dev.ganpipe.common.http;
