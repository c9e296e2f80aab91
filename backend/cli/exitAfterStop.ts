// The end of a long-running command (`tcr server`, `tcr scheduler`) once every stage has stopped and committed.
// kafkajs can leave reconnect timers and sockets behind a broker that went away and came back (kafkajs#1147),
// and they would keep the process alive after a clean stop: a supervisor's SIGTERM then ends in its SIGKILL.

/** Ends the process shortly after a clean stop unless it ended by itself first (the timer does not hold it). */
export function exitAfterStop(graceMs = 1000): void {
  setTimeout(() => process.exit(), graceMs).unref();
}
