/**
 * The small HTTP layer every service uses, on Jetty 12 with a virtual thread per request (the JDK's own server stays
 * as the bench's peer, {@link dev.ganpipe.common.http.HttpServerKind}): routing built in one
 * method ({@link dev.ganpipe.common.http.Routes}), typed query parameters with limits, JSON errors of DESIGN.md,
 * the standard {@code /healthz}, {@code /readyz} and {@code /metrics} endpoints, the body, header and time limits
 * every client is held to ({@link dev.ganpipe.common.http.HttpLimits}) and bearer keys compared in constant time
 * ({@link dev.ganpipe.common.http.BearerAuth}), HTTPS ({@link dev.ganpipe.common.http.TlsSettings}) and an access log
 * ({@link dev.ganpipe.common.http.AccessLog}).
 */
package dev.ganpipe.common.http;
