/**
 * Tests of what ships to operators: the Kubernetes manifests (rendered from the kustomize base and
 * overlays, cross-referenced, checked against the app's real ports, paths and config loader), the
 * container image's Dockerfile, the Grafana dashboard and the Prometheus alerts (checked with
 * {@code promtool} and against a live scrape of a running Gatehouse).
 *
 * <p>Rule of this package: no value the app defines (ports, health and metrics paths, config
 * format, metric names) is written down a second time here; it is read from the app's
 * {@code application.properties}, its config loader or a running instance.
 */
package dev.gatehouse.deploy;
