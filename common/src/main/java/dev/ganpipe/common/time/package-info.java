/**
 * Time sources: a manual clock that tests and simulations move by hand, and the {@link dev.ganpipe.common.time.Sleeper}
 * that code waiting on a clock takes, so that those tests never sleep.
 */
package dev.ganpipe.common.time;
