#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

// The search's hot path is one expansion loop calling a step, the kernel functions it runs and the compiled
// encoder; V8's default budget for inlining into one optimised function (920 bytes of bytecode) stops short
// of them, so calls stay calls. A larger budget made bench-core's search 7% faster (core-safe-s5 to
// 2,000,000 states, one thread, minimum of 4 alternated runs: 9.85 s against 10.67 s; docs/search-engine.md).
// Set before any code is optimised; V8's flags are the process's, so worker threads inherit it.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=4000');

process.exitCode = await main(process.argv);
