// Entry point of the `tcr` binary: the only place the CLI reads process.argv and process.env.
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv, process.env);
