// Process exit codes, one meaning each, so scripts and supervisors can tell bad config from a crash.
export const EXIT_OK = 0;
/** A runtime failure (broker unreachable after retries, a benchmark missing its target…). */
export const EXIT_FAILURE = 1;
/** Invalid config or invalid command-line usage: fix the input, retrying will not help. */
export const EXIT_INVALID_INPUT = 2;
/** The command exists but this build does not deliver it yet. */
export const EXIT_NOT_AVAILABLE = 3;
