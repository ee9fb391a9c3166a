/**
 * The apt settings the lab writes into every host (/etc/apt/apt.conf.d/00lab-proxy).
 *
 * Bookworm's apt (2.6) can wait forever after a transient error (a 5xx from the cache, a read
 * timeout): the failed item is queued again with a delay, behind items queued later with none,
 * and apt's main loop only wakes a queue whose first item is the delayed one, so nothing is ever
 * sent again (apt bug LP #2003851, fixed in apt 3.1.10). The lab hosts hung so in `apt-get update`
 * with the http method idle and a zero-byte InRelease in lists/partial. Retrying at once
 * (Retries::Delay off) keeps apt's retries and never leaves a delayed item in the queue; the
 * read timeout still ends a connection the cache dropped. scripts/lab/apt-hang-repro.sh shows both.
 */
export function labAptConf(proxyUrl: string): string {
  return [
    `Acquire::http::Proxy "${proxyUrl}";`,
    'Acquire::http::Timeout "20";',
    'Acquire::Retries "5";',
    'Acquire::Retries::Delay "false";',
    '',
  ].join('\n');
}
