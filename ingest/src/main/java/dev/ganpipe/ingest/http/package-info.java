/**
 * The ingest HTTP API: {@code POST /v1/images} puts one uploaded image on {@code images.raw} and answers once the
 * broker acknowledged it; {@code /healthz}, {@code /readyz} and {@code /metrics} come from the shared routes.
 */
package dev.ganpipe.ingest.http;
