/**
 * The models this service knows and serves: {@link dev.ganpipe.generator.model.ModelCatalog} keeps one registry per model
 * name, side by side, and resolves which one a request means; {@link dev.ganpipe.generator.model.ModelRegistry} validates
 * arriving models, keeps the newest few loaded, swaps the live one atomically and hands out reference-counted
 * {@link dev.ganpipe.generator.model.ModelLease}s, so a session is closed only after its last request is done.
 */
package dev.ganpipe.generator.model;
