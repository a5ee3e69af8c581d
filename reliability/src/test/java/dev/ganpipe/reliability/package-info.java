/**
 * Test support shared by the fault tests ({@code faults}) and the security tests ({@code security}): {@link
 * dev.ganpipe.reliability.CapturedLog} reads what the services log.
 */
package dev.ganpipe.reliability;
