/**
 * Policy as code: {@code gatehouse policy check} and {@code gatehouse policy test}, run offline from
 * the packaged jar without starting the proxy, for admins who keep their Gatehouse config in git.
 *
 * <pre>
 * java -jar target/quarkus-app/quarkus-run.jar policy check gatehouse.yaml
 * java -jar target/quarkus-app/quarkus-run.jar policy test gatehouse.yaml policy-tests/
 * </pre>
 *
 * <p>{@code check} validates the whole file ({@link dev.gatehouse.config.ConfigLoader}) and prints
 * {@code OK: 2 IdP(s), 4 app(s)} or every error with its YAML path. {@code test} validates the
 * config, then runs each case the way the proxy handles a request: host and path normalised by the
 * proxy's own normalisers, routed by the proxy's route table, identity built from the claims with the
 * app's IdP claim paths, decided by the policy engine. One line per case ({@code PASS}, {@code FAIL}
 * with expected and actual, or {@code ERROR} for a case that cannot run), then a summary line.
 * Exit codes: 0 all good; 1 invalid config ({@code check}), failed or broken cases ({@code test});
 * 2 usage error, missing file, or an invalid config ({@code test}). {@code ${VAR}} references resolve
 * from the environment; an unset one gets a placeholder and a note, so CI needs no secrets.
 *
 * <h2>Case file format</h2>
 * <pre>
 * defaults:                           # optional: keys every case starts from (a case's key replaces it)
 *   host: wiki.example.com
 *   time: 2026-03-02T10:15:00+01:00
 * cases:
 *   - name: alice reads the wiki from a compliant laptop    # required
 *     host: wiki.example.com          # routed like the proxy; or app: wiki to pick the app directly
 *     method: GET                     # default GET
 *     path: /docs/start               # default /; a ?query is ignored, as by the proxy
 *     source_ip: 198.51.100.7         # default 127.0.0.1
 *     time: 2026-03-02T10:15:00+01:00 # default now; ISO-8601 date-time with an offset
 *     claims:                         # verified token claims as the IdP sends them; omit for anonymous
 *       sub: alice
 *       groups: [engineering]
 *       device_compliant: true
 *       device_posture_at: "${now-5m}"  # epoch seconds relative to the case time
 *     expect:
 *       decision: allow               # allow | deny | unauthenticated | not-found | bad-request | reserved
 *       reasons: [groups-ok]          # optional: the actual reasons must START with these, in order
 *       rule: allow                   # optional: the deciding rule, e.g. allow.and[1].device
 *       app: wiki                     # optional: the app the request must be routed to
 * </pre>
 * <ul>
 *   <li>{@code host} and {@code app} are alternatives. With {@code host}, a request no app serves
 *       gives {@code not-found} ({@code route-not-found}); a host or path the proxy rejects (traversal,
 *       encoded slash, bad host) gives {@code bad-request} ({@code invalid-request}); a path under
 *       {@code /.gatehouse/} gives {@code reserved} (served by Gatehouse itself, never by app policy).
 *       With {@code app}, the path must lie under that app's path-prefix.</li>
 *   <li>Claim values that are exactly {@code ${now}}, {@code ${now-15m}} or {@code ${now+2h}} (units
 *       s, m, h, d) become integer epoch seconds relative to the case {@code time}, at any depth, so
 *       {@code auth_time} and device posture cases never rot.</li>
 *   <li>Claims keep their YAML types, which are the JSON types an IdP sends: {@code true} is a
 *       boolean, {@code "true"} a string (and not compliant).</li>
 *   <li>Unknown keys, unknown reason codes and values of the wrong type are errors naming the file,
 *       the case index and the key; the other cases still run.</li>
 * </ul>
 */
package dev.gatehouse.cli;
