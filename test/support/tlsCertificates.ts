// A throw-away CA and a broker certificate for 127.0.0.1, made with the openssl command line.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** CA certificate (PEM), what clients trust. */
  caFile: string;
  /** Broker private key (PKCS#8) followed by its certificate, as Kafka's PEM keystore wants. */
  brokerPem: string;
}

export function makeTestCertificates(dir: string): TestCertificates {
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=tcr-test-ca');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('broker.key'), '-out', file('broker.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', file('broker.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('broker.crt'), '-days', '2', '-extfile', file('san.ext'));
  writeFileSync(file('broker.pem'), readFileSync(file('broker.key'), 'utf8') + readFileSync(file('broker.crt'), 'utf8'));
  return { caFile: file('ca.pem'), brokerPem: file('broker.pem') };
}
