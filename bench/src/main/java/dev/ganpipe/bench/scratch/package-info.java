/**
 * What the benches share to run on a fresh clone: {@link dev.ganpipe.bench.scratch.ScratchFolder}, the temporary
 * folder a bench keeps what it makes for one run in (a broker's data, a model), deleted when the run ends; its
 * {@code deleteTree} also empties a folder a bench was told to work in before a run.
 */
package dev.ganpipe.bench.scratch;
