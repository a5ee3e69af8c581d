/**
 * Deployment checks. This module has no production code: its tests read the repository's deployment files
 * ({@code docker-compose.yml}, {@code monitoring/prometheus/*.yml}, {@code monitoring/grafana/**}) and check them
 * against the contracts in {@code common} (topic catalog, metric names) and the ports the services default to, so
 * that a renamed topic, metric or port breaks the build instead of a dashboard. When {@code promtool} is on the
 * PATH they also run {@code promtool check} and {@code promtool test rules}; under CI it must be there.
 */
package dev.ganpipe.deploycheck;
