/**
 * The HTTP API of DESIGN.md: {@code /v1/generate} in four formats, the models list and activation, the gallery page
 * and the standard health, readiness and metrics endpoints, all built by
 * {@link dev.ganpipe.generator.http.GeneratorApi#routes}.
 */
package dev.ganpipe.generator.http;
