// One call per key at a time: a caller that asks while the key's call is still unsettled gets that same promise.
// For readings a caller may give up on (a timeout) while the client goes on retrying: the next caller waits for the
// one in flight instead of starting another, so they cannot pile up.
export function singleFlight<T>(): (key: string, start: () => Promise<T>) => Promise<T> {
  const inFlight = new Map<string, Promise<T>>();
  return (key, start) => {
    let pending = inFlight.get(key);
    if (!pending) {
      pending = start().finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}
