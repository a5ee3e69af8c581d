/** Time sources: a manual clock that tests and simulations move by hand instead of sleeping. */
package dev.ganpipe.common.time;
