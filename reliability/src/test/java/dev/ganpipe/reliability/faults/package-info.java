/**
 * Fault tests on a real broker and the real services: the broker restarted in the middle of an ingest, absent when
 * the services start, lost while the generator serves, and poison records on every topic a service reads. Each test
 * asserts what a user would see (records on the topics, {@code /readyz}, HTTP answers, metrics) and what was lost;
 * docs/reliability.md tabulates the results. {@link dev.ganpipe.broker.TestBroker} is the broker a test
 * class runs on (and stops and starts again); {@link dev.ganpipe.reliability.faults.Faults} holds the rest of the
 * shared set-up.
 */
package dev.ganpipe.reliability.faults;
