/**
 * Publishing generators: monotonic version numbering that survives restarts, the models directory and the
 * compacted models topic.
 */
package dev.ganpipe.trainer.publish;
