/**
 * Where models come from: the compacted models topic, read from the start on every boot
 * ({@link dev.ganpipe.generator.source.TopicModelWatcher}), and the models directory
 * ({@link dev.ganpipe.generator.source.DirectoryModelWatcher}); {@link dev.ganpipe.generator.source.ModelSources}
 * starts the configured ones.
 */
package dev.ganpipe.generator.source;
