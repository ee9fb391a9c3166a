/**
 * Socket error codes of a host that is not answering yet (booting, its sshd not listening,
 * a route not up): another attempt may succeed. EJUMPCONNECT is ours: a bastion could not open
 * the TCP connection to the host behind it, the same situation one hop further.
 */
const NOT_ANSWERING = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ETIMEDOUT', 'EJUMPCONNECT']);

/** What ssh2 and Node put on a connect error: ssh2's `level` says which stage failed, Node's `code` why. */
export interface ConnectErrorFacts {
  code?: unknown;
  level?: unknown;
}

/**
 * Whether a failed connect is worth another attempt: only when the host did not answer in time
 * or refused the TCP connection. A key, authentication or protocol failure is final: retrying
 * would only delay the error (and hammer sshd with bad credentials).
 */
export function isRetryableConnectError(err: unknown): boolean {
  const { code, level } = connectErrorFacts(err);
  if (level === 'client-timeout') return true;
  if (level !== undefined && level !== 'client-socket') return false;
  return typeof code === 'string' && NOT_ANSWERING.has(code);
}

export function connectErrorFacts(err: unknown): ConnectErrorFacts {
  return err !== null && typeof err === 'object' ? (err as ConnectErrorFacts) : {};
}
