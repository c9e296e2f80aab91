// Waits until a Kafka broker answers a metadata request (not merely an open port). Exit 0 when it does.
// Usage: node waitForBroker.mjs host:port timeoutSeconds
import kafkajs from 'kafkajs';

const [broker, timeoutSeconds = '60'] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutSeconds) * 1000;
const kafka = new kafkajs.Kafka({ clientId: 'tcr-wait', brokers: [broker], logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 });

while (Date.now() < deadline) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    await admin.disconnect();
    process.exit(0);
  } catch {
    await admin.disconnect().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
process.exit(1);
