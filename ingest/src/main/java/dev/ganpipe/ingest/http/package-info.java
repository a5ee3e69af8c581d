/**
 * The ingest HTTP API: {@code POST /v1/images} puts uploaded images (a raw body, or several as
 * {@code multipart/form-data}, parsed by {@code Multipart}) on {@code images.raw} and answers
 * once the broker acknowledged them; {@code /healthz}, {@code /readyz} and {@code /metrics} come from the shared routes.
 */
package dev.ganpipe.ingest.http;
